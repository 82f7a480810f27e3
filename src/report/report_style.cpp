#include "report/report_style.hpp"

#include "report/html_text.hpp"

namespace ble2garmin::report {

// No script and nothing fetched: the Content-Security-Policy lets the page use only its own inline
// style and data: images, so a browser would refuse anything else (and say so in its console).
std::string report_page_head(std::string_view generated_at)
{
    return std::string(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>ble2garmin report</title>
<style>
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:0 auto;padding:0 12px 24px;max-width:1100px;color:#1d2329;background:#fff}
header{padding:12px 0;border-bottom:1px solid #ccd3da}
h1{font-size:1.4em;margin:0}
h2{font-size:1.25em;margin:24px 0 4px;padding-top:8px;border-top:2px solid #1f6fb2}
h3{font-size:1em;margin:16px 0 4px}
nav a{margin-right:12px}
figure{margin:8px 0 16px;width:100%}
figcaption{font-weight:600;margin-bottom:2px}
svg{width:100%;height:auto;display:block;background:#fafbfc}
svg .grid{stroke:#dde3e8;stroke-width:1}
svg .axis{font-size:14px;fill:#4a5560}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:0 20px}
.legend{margin:2px 0;font-size:.85em;color:#4a5560}
.legend span{margin-right:14px;white-space:nowrap}
.legend i{display:inline-block;width:14px;height:3px;margin:0 4px 3px 0;vertical-align:middle}
.legend i.dash{height:0;border-top:2px dashed;background:none}
.legend b{display:inline-block;width:12px;height:12px;margin:0 4px 2px 0;vertical-align:middle;opacity:.8}
.summary{margin:4px 0}
.empty{color:#6a747d}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.9em;min-width:100%}
th,td{padding:3px 8px;text-align:right;border-bottom:1px solid #e3e8ec;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
td.status{text-align:left}
td.failed,td.unassigned{color:#b03a2e}
td.to_import{color:#8a6d00}
.download{margin:12px 0}
footer{margin-top:24px;font-size:.85em;color:#6a747d}
</style></head><body>
<header><h1>ble2garmin report</h1><p>Generated )") +
           html_escape(generated_at) +
           R"(. Lines are the mean of each period a chart point covers, shaded areas its lowest to highest value, dashed lines the 7-day average.</p></header>
)";
}

std::string report_page_tail()
{
    return "<footer>Made by ble2garmin from its backups (miscale_backup.csv, omron_backup.csv). "
           "Blood-pressure "
           "categories are export2garmin's, for orientation only: not a "
           "diagnosis.</footer>\n</body></html>\n";
}

}  // namespace ble2garmin::report
