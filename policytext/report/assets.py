"""The report's inline style sheet and script (small, no external resources)."""

from __future__ import annotations

import base64
import hashlib

from spacy.displacy.render import DEFAULT_LABEL_COLORS

__all__ = ["css", "SCRIPT", "script_hash", "STAGE_COLORS", "LABEL_COLORS"]

#: displaCy's entity colours, plus the two labels this domain adds.
LABEL_COLORS = {**DEFAULT_LABEL_COLORS, "PROGRAM": "#f0d0ff", "TITLE": "#c7e9b0"}
#: Edit highlight colour per text stage.
STAGE_COLORS = {"html": "#c9c2ff", "repair": "#ffc98a", "normalize": "#9fdc8c", "dedup": "#ff9f9f"}
_OTHER_STAGE = "#d0d0d0"

_CSS = """
.ptx{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
 color:#222;line-height:1.6;font-size:15px}
.ptx h2{font-size:1.3em;margin:.6em 0 .2em}.ptx h3{font-size:1.1em;margin:.4em 0}.ptx h4{margin:.5em 0 .2em;font-size:.95em}
.ptx .doc{border:1px solid #ccc;border-radius:6px;padding:.4em .9em;margin:1em 0;background:#fff}
.ptx .meta{color:#555;font-size:.9em}.ptx .err{background:#fde2e2;border:1px solid #d33;padding:.3em .6em;margin:.4em 0}
.ptx .figs{display:flex;flex-wrap:wrap;gap:.4em 1.4em;margin:.4em 0}.ptx .figs div{min-width:6em}
.ptx .figs dt{font-size:.8em;color:#666}.ptx .figs dd{margin:0;font-size:1.25em;font-weight:600}
.ptx .cols{display:flex;flex-wrap:wrap;gap:1.5em}.ptx .cols>div{flex:1 1 16em;min-width:14em}
.ptx table{border-collapse:collapse;font-size:.88em}.ptx td,.ptx th{border-bottom:1px solid #eee;padding:.1em .5em;text-align:left;vertical-align:top}
.ptx td.n,.ptx p.n{text-align:right;font-variant-numeric:tabular-nums}.ptx .none{color:#888;margin:.2em 0}
.ptx .sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em;border-radius:2px}
.ptx ul.warn{background:#fff7d6;border:1px solid #e0c060;padding:.3em .3em .3em 1.6em;margin:.4em 0;font-size:.9em}
.ptx details>summary{cursor:pointer;color:#333;font-weight:600;margin:.3em 0}
.ptx details.pg>summary{font-weight:normal;color:#666;font-size:.85em}
.ptx .rows{border-top:1px solid #eee}
.ptx .r{display:flex;gap:1em;border-bottom:1px solid #f0f0f0;content-visibility:auto;contain-intrinsic-size:auto 3em}
.ptx .tx{flex:1 1 auto;white-space:pre-wrap;overflow-wrap:anywhere;line-height:2.4;padding:.2em 0;min-width:0}
.ptx .th{flex:0 0 13em;font-size:.78em;padding-top:.5em;color:#444}
.ptx .tb{white-space:nowrap;line-height:1.5}.ptx meter{width:5em;height:.8em;vertical-align:middle}
.ptx mark.entity{padding:.3em .45em;margin:0 .15em;line-height:1;border-radius:.35em;background:#ddd;color:inherit}
.ptx mark.entity .lbl{font-size:.7em;font-weight:bold;line-height:1;vertical-align:middle;margin-left:.4rem;user-select:none}
.ptx .chips mark.entity{display:inline-block;margin:.15em}
.ptx u.cl{text-decoration:underline 2px #c0392b;text-underline-offset:.35em;text-decoration-skip-ink:none}
.ptx .ed{border-bottom:2px solid #999;background:#eee;cursor:help;border-radius:2px}
.ptx .ed.lc{outline:1px dashed #c0392b}
.ptx .ed.pt::before{content:"‸";font-weight:bold;color:#777;font-size:.9em}
.ptx .ed.pt{background:none;border:0;padding:0 .05em}
.ptx a.rm{text-decoration:none;color:#c0392b;font-size:.8em;padding:0 .1em}
.ptx del.rmv{background:#ffe0e0;text-decoration:line-through #c0392b}
.ptx ol.removed{font-size:.9em;padding-left:2.2em}.ptx ol.removed li{margin:.3em 0}
.ptx .rc{white-space:pre-wrap;overflow-wrap:anywhere;background:#fafafa;border:1px solid #eee;padding:.2em .4em;max-height:12em;overflow:auto}
.ptx .rc .ctx{color:#888}.ptx .rc del{background:#ffe0e0}
.ptx table.diff{width:100%;table-layout:fixed;font-size:.92em}
.ptx table.diff td.raw,.ptx table.diff td.cln{white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,monospace,sans-serif}
.ptx table.diff col.lnc{width:4.5em}.ptx table.diff td.ln{color:#aaa;font-size:.75em;text-align:right}
.ptx table.diff td.raw{background:#fcfcfc}
.ptx .info{position:sticky;bottom:0;background:#222;color:#eee;white-space:pre-wrap;font-size:.85em;padding:.4em .7em;border-radius:4px;margin-top:.4em;z-index:2}
.ptx .legend{font-size:.85em;color:#555}.ptx .legend span{margin-right:.8em}
.ptx .more{color:#555;font-style:italic}
.ptx nav.toc ol{columns:2 22em;font-size:.9em}.ptx nav.toc .bad{color:#c0392b}
"""

#: Opening a folded page that waits in an inert <script>: its markup is inserted. Hovering an
#: edit whose details sit in the document's JSON table: its tooltip is made. Clicking a marked
#: element: its details (the tooltip text) in the document's info bar. Text only (textContent,
#: title), never markup built from data.
SCRIPT = r"""(function(){if(window.__policytextReport)return;window.__policytextReport=1;
document.addEventListener("toggle",function(ev){var d=ev.target;if(!d.classList||!d.classList.contains("lazy")||!d.open)return;
var s=d.querySelector(":scope>script");if(!s)return;var t=document.createElement("template");t.innerHTML=s.textContent;s.replaceWith(t.content);},true);
function q(s){if(s==null)return"\u2205";if(s.length>60)s=s.slice(0,39)+"\u2026"+s.slice(-20);
return"\u201c"+s.replace(/[\u0000-\u001f\u007f-\u00a0\u00ad\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ue000-\uf8ff]/g,function(c){
var m={"\n":"\\n","\t":"\\t","\r":"\\r"}[c];return m||"\\u"+("000"+c.charCodeAt(0).toString(16)).slice(-4);})+"\u201d";}
function tip(el){var doc=el.closest(".doc");if(!doc)return"";var t=doc.__edits;
if(t===undefined){var s=doc.querySelector("script.edits");t=doc.__edits=s?JSON.parse(s.textContent):null;}
if(!t)return"";var ks=el.getAttribute("data-e").split(" "),out=[];
ks.slice(0,5).forEach(function(k){var e=t.e[+k];if(!e)return;out.push("edit "+k+": "+t.s[e[0]]+" \u00b7 "+t.k[e[1]]+"\n"+q(e[6])+" \u2192 "+q(e[7])+
"\nconfidence "+e[8]+" \u00b7 raw "+e[2]+"\u2013"+e[3]+" \u00b7 clean "+e[4]+"\u2013"+e[5]+(e[9]?"\nnote: "+q(String(e[9])):""));});
if(ks.length>5)out.push("\u2026 and "+(ks.length-5)+" more edits here");return out.join("\n\n");}
function titled(el){if(el.hasAttribute("data-e")&&!el.title)el.title=tip(el);return el;}
document.addEventListener("mouseover",function(ev){var el=ev.target.closest&&ev.target.closest("[data-e]");if(el)titled(el);});
document.addEventListener("click",function(ev){var el=ev.target.closest&&ev.target.closest("[data-e],[data-r],[data-c]");
if(!el)return;titled(el);if(!el.title)return;var doc=el.closest(".doc");var p=doc&&doc.querySelector(".info");if(!p)return;p.textContent=el.title;p.hidden=false;});
})();"""


def css(scope: str = ".ptx") -> str:
    """The style sheet, with the entity and stage colour rules."""
    rules = [_CSS]
    rules += [f"{scope} mark.e-{label}{{background:{color}}}" for label, color in LABEL_COLORS.items()]
    for stage, color in STAGE_COLORS.items():
        rules.append(f"{scope} .ed.st-{stage}{{background:{color}55;border-bottom-color:{color}}}"
                     f"{scope} .sw.st-{stage}{{background:{color}}}{scope} .ed.pt.st-{stage}::before{{color:{color}}}")
    rules.append(f"{scope} .sw{{background:{_OTHER_STAGE}}}")
    out = "".join(rules)
    return out if scope == ".ptx" else out.replace(".ptx", scope)


def script_hash() -> str:
    """The CSP source of :data:`SCRIPT` (``'sha256-…'``)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii") + "'"
