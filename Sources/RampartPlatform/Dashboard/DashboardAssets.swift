/// The dashboard's stylesheet and script, served from the platform itself (no CDN; works offline) so the
/// Content-Security-Policy can forbid inline code.
enum DashboardAssets {
    static let css = """
        :root { --fg: #1d2330; --muted: #5d6778; --line: #d9dee7; --bg: #f6f7fa; --block: #c0392b; --monitor: #d68910; --ok: #1e8449; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
        header.top { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #1d2330; color: #fff; }
        header.top a { color: #cfd6e4; text-decoration: none; margin-right: 1rem; }
        header.top a.active, header.top a:hover { color: #fff; }
        header.top .brand { font-weight: 700; color: #fff; }
        header.top .logout { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
        main { padding: 1rem 1.5rem; max-width: 1400px; }
        footer { padding: 1rem 1.5rem; color: var(--muted); font-size: 12px; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; } small { color: var(--muted); font-weight: normal; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; }
        pre.value { white-space: pre-wrap; background: #fff; border: 1px solid var(--line); padding: .5rem; margin: 0; }
        mark { background: #ffe08a; padding: 0 .1rem; }
        .filters, .inline { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .6rem 0; }
        td form.inline { margin: 0; }
        .cards { display: flex; gap: 1rem; }
        .card { background: #fff; border: 1px solid var(--line); padding: .8rem 1.2rem; min-width: 10rem; display: flex; flex-direction: column; }
        .card .number { font-size: 1.8rem; font-weight: 700; }
        .card.blocked .number { color: var(--block); } .card.monitored .number { color: var(--monitor); }
        .tops { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
        .chart { background: #fff; border: 1px solid var(--line); padding: .5rem; }
        .chart svg { width: 100%; height: auto; }
        .swatch { display: inline-block; width: .8rem; height: .8rem; vertical-align: middle; }
        .swatch.blocked { background: var(--block); } .swatch.monitored { background: var(--monitor); }
        .tag { padding: 0 .4rem; border-radius: .6rem; font-size: 12px; color: #fff; background: var(--muted); }
        .tag.blocked, .tag.offline { background: var(--block); } .tag.monitored, .tag.stale, .tag.degraded { background: var(--monitor); }
        .tag.healthy, .tag.delivered { background: var(--ok); }
        .tag.failed, .tag.rejected { background: var(--block); } .tag.pending { background: var(--monitor); }
        dl.facts { display: grid; grid-template-columns: 10rem 1fr; gap: .25rem .8rem; background: #fff; padding: .6rem; border: 1px solid var(--line); }
        dl.facts dt { color: var(--muted); }
        .flash { background: #e8f6ee; border: 1px solid var(--ok); padding: .5rem; }
        .problem { background: #fbeaea; border: 1px solid var(--block); padding: .5rem; }
        .login { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 1.5rem; border: 1px solid var(--line); }
        .login label { display: block; margin-bottom: .8rem; } .login input { width: 100%; }
        .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
        textarea { width: 100%; font-family: ui-monospace, monospace; }
        """

    /// Shows `<time>` values in the reader's local time zone (the server renders UTC), and asks before removals.
    static let javascript = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("time[datetime]").forEach(function (element) {
            var date = new Date(element.getAttribute("datetime"));
            if (!isNaN(date.getTime())) { element.title = element.textContent; element.textContent = date.toLocaleString(); }
          });
          document.querySelectorAll("form[action='/settings/unblock']").forEach(function (form) {
            form.addEventListener("submit", function (event) { if (!window.confirm("Remove this block?")) { event.preventDefault(); } });
          });
        });
        """
}
