import Mustache

/// The dashboard's Mustache templates. `{{value}}` escapes HTML, so attack payloads render as text; the only
/// unescaped insertion (`{{{chart}}}`) is SVG the platform builds from numbers.
enum DashboardTemplates {
    static func makeLibrary() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in all {
            try library.register(text, named: name)
        }
        return library
    }

    static let all: [(String, String)] = [
        ("head", head), ("foot", foot), ("filters", filters), ("login", login), ("overview", overview),
        ("signals", signals), ("events", events), ("event", event), ("agents", agents), ("settings", settings),
        ("message", message),
    ] + automation

    static let head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Rampart</title>
        <link rel="stylesheet" href="/assets/app.css">
        <script src="/assets/app.js" defer></script>
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/">Rampart</a>
          {{#session}}
          <nav>
            <a href="/" class="{{#navOverview}}active{{/navOverview}}">Overview</a>
            <a href="/signals" class="{{#navSignals}}active{{/navSignals}}">Signals</a>
            <a href="/agents" class="{{#navAgents}}active{{/navAgents}}">Agents</a>
            <a href="/settings" class="{{#navSettings}}active{{/navSettings}}">Settings</a>
            <a href="/webhooks" class="{{#navWebhooks}}active{{/navWebhooks}}">Webhooks</a>
            <a href="/vulnerabilities" class="{{#navVulnerabilities}}active{{/navVulnerabilities}}">Vulnerabilities</a>
          </nav>
          <form method="post" action="/logout" class="logout">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <span class="user">{{username}} ({{role}})</span>
            <button type="submit">Log out</button>
          </form>
          {{/session}}
        </header>
        <main>
        {{#flash}}<p class="flash">{{flash}}</p>{{/flash}}
        {{#problem}}<p class="problem">{{problem}}</p>{{/problem}}
        """

    static let foot = """
        </main>
        <footer>Rampart platform {{version}} · times in UTC</footer>
        </body>
        </html>
        """

    static let filters = """
        <form method="get" class="filters">
          <label>Application
            <select name="app">
              <option value="">All</option>
              {{#apps}}<option value="{{appID}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/apps}}
            </select>
          </label>
          <label>Environment
            <select name="env">
              <option value="">All</option>
              {{#environments}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/environments}}
            </select>
          </label>
          <label>Window
            <select name="window">
              {{#windows}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/windows}}
            </select>
          </label>
          {{#hiddenFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hiddenFields}}
          <button type="submit">Apply</button>
        </form>
        """

    static let login = """
        {{> head}}
        <section class="login">
          <h1>Sign in</h1>
          <form method="post" action="/login">
            <label>User <input name="username" autocomplete="username" required autofocus></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
          </form>
        </section>
        {{> foot}}
        """

    static let overview = """
        {{> head}}
        <h1>Overview</h1>
        {{> filters}}
        <section class="cards">
          <div class="card"><span class="number" id="total-attacks">{{total}}</span><span>attacks</span></div>
          <div class="card blocked"><span class="number" id="blocked-attacks">{{blocked}}</span><span>blocked</span></div>
          <div class="card monitored"><span class="number" id="monitored-attacks">{{monitored}}</span><span>monitored</span></div>
        </section>
        <section>
          <h2>Attacks over time <small>({{bucketLabel}} per bar)</small></h2>
          <div class="chart">{{{chart}}}</div>
          <p class="legend"><span class="swatch blocked"></span> blocked <span class="swatch monitored"></span> monitored</p>
        </section>
        <section class="tops">
          <div><h2>Top categories</h2><table><tbody>
            {{#topCategories}}<tr><td><a href="/signals?{{query}}&amp;category={{label}}">{{label}}</a></td><td class="n">{{count}}</td></tr>{{/topCategories}}
            {{^topCategories}}<tr><td>No attacks in this window.</td></tr>{{/topCategories}}
          </tbody></table></div>
          <div><h2>Top attacking IPs</h2><table><tbody>
            {{#topIPs}}<tr><td><a href="/signals?{{query}}&amp;ip={{label}}">{{label}}</a></td><td class="n">{{count}}</td></tr>{{/topIPs}}
          </tbody></table></div>
          <div><h2>Top targeted routes</h2><table><tbody>
            {{#topRoutes}}<tr><td><code>{{label}}</code></td><td class="n">{{count}}</td></tr>{{/topRoutes}}
          </tbody></table></div>
        </section>
        {{> foot}}
        """

    static let signals = """
        {{> head}}
        <h1>Security signals</h1>
        {{> filters}}
        <table class="list" id="signals">
          <thead><tr><th>Attacker IP</th><th>Category</th><th class="n">Events</th><th class="n">Blocked</th><th>First seen</th><th>Last seen</th><th>Routes</th><th></th></tr></thead>
          <tbody>
          {{#groups}}
            <tr>
              <td><code>{{clientIP}}</code></td><td>{{category}}</td><td class="n">{{count}}</td><td class="n">{{blocked}}</td>
              <td><time datetime="{{firstSeen}}">{{firstSeen}}</time></td><td><time datetime="{{lastSeen}}">{{lastSeen}}</time></td>
              <td>{{#routes}}<code>{{.}}</code> {{/routes}}</td>
              <td><a href="/signals/events?{{query}}">events</a> · <a href="/events/{{latestEventID}}">latest</a>
              {{#canBlock}}
                <form method="post" action="/settings/block" class="inline">
                  <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
                  <input type="hidden" name="list" value="ip"><input type="hidden" name="value" value="{{clientIP}}">
                  <input type="hidden" name="minutes" value="60"><input type="hidden" name="reason" value="from signals: {{category}}">
                  <button type="submit">Block IP 1 h</button>
                </form>
              {{/canBlock}}
              </td>
            </tr>
          {{/groups}}
          {{^groups}}<tr><td colspan="8">No signals in this window.</td></tr>{{/groups}}
          </tbody>
        </table>
        {{> foot}}
        """

    static let events = """
        {{> head}}
        <h1>Events {{#clientIP}}from <code>{{clientIP}}</code>{{/clientIP}} {{#category}}· {{category}}{{/category}}</h1>
        {{> filters}}
        <table class="list" id="events">
          <thead><tr><th>Time</th><th>Application</th><th>Kind</th><th>Outcome</th><th>Request</th><th>Rule</th><th></th></tr></thead>
          <tbody>
          {{#events}}
            <tr>
              <td><time datetime="{{time}}">{{time}}</time></td><td>{{appName}} <small>{{environment}}</small></td><td>{{kind}}</td>
              <td>{{#blocked}}<span class="tag blocked">blocked</span>{{/blocked}}{{^blocked}}<span class="tag monitored">monitored</span>{{/blocked}}</td>
              <td><code>{{method}} {{path}}</code></td><td>{{ruleID}}</td><td><a href="/events/{{eventID}}">details</a></td>
            </tr>
          {{/events}}
          {{^events}}<tr><td colspan="7">No events.</td></tr>{{/events}}
          </tbody>
        </table>
        {{> foot}}
        """

    static let event = """
        {{> head}}
        <h1>Event <code>{{eventID}}</code></h1>
        <dl class="facts">
          <dt>Time</dt><dd><time datetime="{{time}}">{{time}}</time></dd>
          <dt>Application</dt><dd>{{appName}} ({{environment}})</dd>
          <dt>Agent</dt><dd><code>{{agentID}}</code></dd>
          <dt>Kind</dt><dd>{{kind}}</dd>
          <dt>Outcome</dt><dd>{{#blocked}}<span class="tag blocked">blocked</span>{{/blocked}}{{^blocked}}<span class="tag monitored">monitored</span>{{/blocked}}{{#status}} (status {{status}}){{/status}}</dd>
          <dt>Request</dt><dd><code id="request-line">{{method}} {{path}}</code>{{#route}} · route <code>{{route}}</code>{{/route}}</dd>
          <dt>Client IP</dt><dd><code>{{clientIP}}</code></dd>
          {{#userID}}<dt>User</dt><dd><code>{{userID}}</code></dd>{{/userID}}
          {{#userAgent}}<dt>User agent</dt><dd><code>{{userAgent}}</code></dd>{{/userAgent}}
        </dl>
        <h2>Why</h2>
        {{#rules}}
        <section class="rule">
          <h3>{{ruleName}} <small><code>{{ruleID}}</code> · {{category}}{{#crsID}} · CRS {{crsID}}{{/crsID}}</small></h3>
          <dl class="facts">
            <dt>Operator</dt><dd><code>{{operator}}</code>{{#operatorValue}} <code class="operand">{{operatorValue}}</code>{{/operatorValue}}</dd>
            <dt>Address</dt><dd><mark class="address">{{address}}</mark></dd>
            <dt>Key path</dt><dd>{{#keyPath}}<mark class="key">{{.}}</mark> › {{/keyPath}}{{^keyPath}}(whole value){{/keyPath}}</dd>
            <dt>Matched input</dt><dd><pre class="value">{{#segments}}{{#hit}}<mark>{{text}}</mark>{{/hit}}{{^hit}}{{text}}{{/hit}}{{/segments}}</pre></dd>
            {{#highlight}}<dt>Highlight</dt><dd><code>{{.}}</code></dd>{{/highlight}}
          </dl>
        </section>
        {{/rules}}
        {{^rules}}<p>No rule matches recorded (kind {{kind}}).</p>{{/rules}}
        {{#hasStack}}
        <h2>RASP stack</h2>
        <ol class="stack">{{#stack}}<li><code>{{.}}</code></li>{{/stack}}</ol>
        {{/hasStack}}
        <h2>Request summary <small>(scrubbed by the agent)</small></h2>
        <table class="list"><thead><tr><th>Header</th><th>Value</th></tr></thead><tbody>
          {{#headers}}<tr><td><code>{{name}}</code></td><td><code>{{value}}</code></td></tr>{{/headers}}
          {{^headers}}<tr><td colspan="2">None recorded.</td></tr>{{/headers}}
        </tbody></table>
        <table class="list"><thead><tr><th>Query parameter</th><th>Values</th></tr></thead><tbody>
          {{#query}}<tr><td><code>{{name}}</code></td><td>{{#values}}<code>{{.}}</code> {{/values}}</td></tr>{{/query}}
          {{^query}}<tr><td colspan="2">None recorded.</td></tr>{{/query}}
        </tbody></table>
        {{> foot}}
        """

    static let agents = """
        {{> head}}
        <h1>Agents</h1>
        <table class="list" id="agents">
          <thead><tr><th>Application</th><th>Env</th><th>Host</th><th>Framework</th><th>Rampart</th><th>Swift</th><th>OS</th><th>Ruleset</th>
          <th>Last heartbeat</th><th>Health</th><th class="n">Requests</th><th class="n">Attacks</th><th class="n">Blocked</th><th class="n">Dropped</th><th class="n">WAF timeouts</th><th class="n">WAF p99 µs</th></tr></thead>
          <tbody>
          {{#agents}}
            <tr>
              <td>{{appName}}</td><td>{{environment}}</td><td>{{hostname}}</td><td>{{framework}}</td><td>{{rampartVersion}}</td>
              <td>{{swiftVersion}}</td><td>{{os}}</td><td>{{rulesetVersion}}</td>
              <td><time datetime="{{lastHeartbeat}}">{{lastHeartbeat}}</time></td><td><span class="tag {{health}}">{{health}}</span></td>
              <td class="n">{{totalRequests}}</td><td class="n">{{totalAttacks}}</td><td class="n">{{totalBlocked}}</td>
              <td class="n">{{droppedEvents}}</td><td class="n">{{wafTimeouts}}</td><td class="n">{{wafP99Micros}}</td>
            </tr>
          {{/agents}}
          {{^agents}}<tr><td colspan="16">No agent has logged in yet.</td></tr>{{/agents}}
          </tbody>
        </table>
        <h2>Inventory per application</h2>
        {{#inventories}}
        <section class="inventory">
          <h3>{{appName}} <small>as reported by {{hostname}} ({{environment}})</small></h3>
          <div class="columns">
            <div><h4>Routes ({{routeCount}})</h4><table class="list"><tbody>
              {{#routes}}<tr><td><code>{{method}}</code></td><td><code>{{path}}</code></td></tr>{{/routes}}
            </tbody></table></div>
            <div><h4>Dependencies ({{dependencyCount}})</h4><table class="list"><tbody>
              {{#dependencies}}<tr><td><code>{{name}}</code></td><td><code>{{version}}</code></td></tr>{{/dependencies}}
            </tbody></table></div>
          </div>
        </section>
        {{/inventories}}
        {{> foot}}
        """

    static let settings = """
        {{> head}}
        <h1>Settings</h1>
        {{^apps}}<p>No application yet: create one with <code>rampart platform create-app NAME</code>.</p>{{/apps}}
        {{#hasApp}}
        <form method="get" class="filters">
          <label>Application
            <select name="app">{{#apps}}<option value="{{appID}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/apps}}</select>
          </label>
          <button type="submit">Show</button>
        </form>
        <p>Settings revision {{revision}}. Changes reach agents at their next heartbeat.</p>
        {{#readOnly}}<p class="problem">Your role is viewer: settings are read-only.</p>{{/readOnly}}
        <section>
          <h2>Protection mode</h2>
          <form method="post" action="/settings/mode" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
            <input type="hidden" name="category" value="">
            <label>Default for all categories
              <select name="mode">{{#defaultModes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/defaultModes}}</select>
            </label>
            <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Save</button>
          </form>
          <table class="list" id="category-modes"><thead><tr><th>Category</th><th>Mode</th><th></th></tr></thead><tbody>
          {{#categories}}
            <tr><td>{{name}}</td><td>{{mode}}</td><td>
              <form method="post" action="/settings/mode" class="inline">
                <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
                <input type="hidden" name="category" value="{{name}}">
                <select name="mode"><option value="monitor"{{#monitor}} selected{{/monitor}}>monitor</option><option value="block"{{#block}} selected{{/block}}>block</option></select>
                <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Save</button>
              </form>
            </td></tr>
          {{/categories}}
          </tbody></table>
        </section>
        <section>
          <h2>WAF budget</h2>
          <form method="post" action="/settings/budget" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
            <label>Microseconds per request phase <input name="micros" type="number" min="1" max="10000000" value="{{budget}}" required></label>
            <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Save</button>
          </form>
        </section>
        <section>
          <h2>Blocklists</h2>
          <form method="post" action="/settings/block" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
            <select name="list"><option value="ip">IP or CIDR</option><option value="user">User id</option></select>
            <input name="value" placeholder="203.0.113.7 or user id" required>
            <label>for <input name="minutes" type="number" min="0" value="60"> minutes (0 = until removed)</label>
            <input name="reason" placeholder="reason">
            <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Block</button>
          </form>
          <table class="list" id="blocklist"><thead><tr><th>List</th><th>Value</th><th>Expires</th><th>Reason</th><th></th></tr></thead><tbody>
          {{#blocklist}}
            <tr><td>{{list}}</td><td><code>{{value}}</code></td><td>{{expires}}</td><td>{{reason}}</td><td>
              <form method="post" action="/settings/unblock" class="inline">
                <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
                <input type="hidden" name="list" value="{{list}}"><input type="hidden" name="value" value="{{value}}">
                <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Remove</button>
              </form></td></tr>
          {{/blocklist}}
          {{^blocklist}}<tr><td colspan="5">Nothing blocked.</td></tr>{{/blocklist}}
          </tbody></table>
        </section>
        <section>
          <h2>Automation</h2>
          <form method="post" action="/settings/autoblock" class="inline" id="autoblock">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
            <label><input type="checkbox" name="enabled" value="on"{{#autoBlockEnabled}} checked{{/autoBlockEnabled}}> Block an IP after</label>
            <input name="threshold" type="number" min="1" max="100000" value="{{autoBlockThreshold}}"> attacks within
            <input name="window" type="number" min="1" max="10080" value="{{autoBlockWindow}}"> minutes, for
            <input name="minutes" type="number" min="1" max="525600" value="{{autoBlockMinutes}}"> minutes
            <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Save</button>
          </form>
          <form method="post" action="/settings/failedlogins" class="inline" id="failedlogins">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
            <label><input type="checkbox" name="enabled" value="on"{{#failedLoginEnabled}} checked{{/failedLoginEnabled}}> Flag a user after</label>
            <input name="threshold" type="number" min="1" max="100000" value="{{failedLoginThreshold}}"> failed logins within
            <input name="window" type="number" min="1" max="10080" value="{{failedLoginWindow}}"> minutes; also block for
            <input name="minutes" type="number" min="0" max="525600" value="{{failedLoginBlockMinutes}}"> minutes (0: flag only)
            <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Save</button>
          </form>
          <table id="flagged-users"><thead><tr><th>Flagged user</th><th>Failed logins</th><th>Flagged</th><th>Reason</th><th></th></tr></thead><tbody>
          {{#flaggedUsers}}
            <tr><td>{{user}}</td><td>{{failures}}</td><td>{{flaggedAt}}</td><td>{{reason}}</td><td>
              <form method="post" action="/settings/unflag">
                <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
                <input type="hidden" name="user" value="{{user}}">
                <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Clear</button>
              </form></td></tr>
          {{/flaggedUsers}}
          {{^flaggedUsers}}<tr><td colspan="5">No flagged users.</td></tr>{{/flaggedUsers}}
          </tbody></table>
        </section>
        <section>
          <h2>Custom rules</h2>
          <p>Active ruleset: {{#rulesetVersion}}<code>{{rulesetVersion}}</code>{{/rulesetVersion}}{{^rulesetVersion}}the agents' embedded ruleset{{/rulesetVersion}}.</p>
          <form method="post" action="/settings/ruleset">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="app" value="{{appID}}">
            <label>Ruleset (libddwaf JSON) <textarea name="ruleset" rows="8" required></textarea></label>
            <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Validate and publish</button>
          </form>
          <table class="list"><thead><tr><th>Version</th><th>Uploaded</th><th>Validation</th></tr></thead><tbody>
          {{#rulesets}}<tr><td><code>{{version}}</code></td><td>{{uploadedAt}}</td><td>{{diagnostics}}</td></tr>{{/rulesets}}
          </tbody></table>
        </section>
        {{/hasApp}}
        {{> foot}}
        """

    static let message = """
        {{> head}}
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        {{> foot}}
        """
}
