/// Templates of the webhooks and vulnerable-dependencies pages (see ``AutomationController``).
extension DashboardTemplates {
    static let automation: [(String, String)] = [("webhooks", webhooks), ("vulnerabilities", vulnerabilities)]

    static let webhooks = """
        {{> head}}
        <h1>Webhooks</h1>
        <p>The platform POSTs JSON to these URLs: once per heartbeat that stored new security events, and when a
        playbook blocks IPs. URLs must be http(s) and public: internal, loopback, link-local and metadata addresses are
        refused when saved and again before each delivery{{#allowInternal}} (<strong>internal URLs are allowed on this
        server: --allow-internal-webhooks</strong>){{/allowInternal}}.</p>
        {{#readOnly}}<p class="problem">Your role is viewer: webhooks are read-only.</p>{{/readOnly}}
        {{#revealed}}<div class="flash" id="signing-secret"><p>Signing secret for <code>{{url}}</code>, shown only this once:</p>
        <p><code>{{secret}}</code></p><p>Deliveries carry <code>Rampart-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</code>,
        HMAC-SHA256 with this secret over <code>t + "." + body</code> (see docs/platform.md).</p></div>{{/revealed}}
        <form method="post" action="/webhooks/add" class="inline" id="add-webhook">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>URL <input name="url" type="url" size="50" placeholder="https://hooks.example.com/rampart" value="{{url}}" required></label>
          <label>For <select name="app"><option value="">all applications</option>{{#apps}}<option value="{{appID}}">{{name}}</option>{{/apps}}</select></label>
          <label><input type="checkbox" name="events" value="on" checked> security events</label>
          <label><input type="checkbox" name="playbooks" value="on" checked> playbook runs</label>
          <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Add</button>
        </form>
        <table class="list" id="webhooks"><thead><tr><th>URL</th><th>For</th><th>Triggers</th><th>Added</th><th>Signing</th><th>Last delivery</th><th></th></tr></thead><tbody>
        {{#webhooks}}
          <tr><td><code>{{url}}</code></td><td>{{scope}}</td><td>{{triggers}}</td><td>{{createdAt}} by {{createdBy}}</td><td>{{signing}}</td>
          <td>{{#lastStatus}}<span class="tag {{lastStatus}}">{{lastStatus}}</span> {{lastTime}}{{/lastStatus}}{{^lastStatus}}none yet{{/lastStatus}}</td><td>
            <form method="post" action="/webhooks/remove" class="inline">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="webhook" value="{{webhookID}}">
              <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Remove</button>
            </form>
            <form method="post" action="/webhooks/rotate-secret" class="inline">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="webhook" value="{{webhookID}}">
              <button type="submit"{{#readOnly}} disabled{{/readOnly}}>Rotate secret</button>
            </form></td></tr>
        {{/webhooks}}
        {{^webhooks}}<tr><td colspan="7">No webhook yet.</td></tr>{{/webhooks}}
        </tbody></table>
        <h2>Recent deliveries</h2>
        <p>This server since start: {{queued}} queued, {{delivered}} delivered, {{failed}} failed, {{dropped}} dropped (queue full).</p>
        <table class="list" id="deliveries"><thead><tr><th>Time</th><th>URL</th><th>Type</th><th class="n">Items</th><th class="n">Attempts</th><th>Status</th><th>Detail</th></tr></thead><tbody>
        {{#deliveries}}
          <tr><td>{{time}}</td><td><code>{{url}}</code></td><td>{{kind}}</td><td class="n">{{items}}</td><td class="n">{{attempts}}</td>
          <td><span class="tag {{status}}">{{status}}</span></td><td>{{detail}}</td></tr>
        {{/deliveries}}
        {{^deliveries}}<tr><td colspan="7">No delivery yet.</td></tr>{{/deliveries}}
        </tbody></table>
        {{> foot}}
        """

    static let vulnerabilities = """
        {{> head}}
        <h1>Vulnerable dependencies</h1>
        <p>Dependencies reported by each application's latest agent, matched against {{advisoryCount}} advisories
        (import more with <code>rampart platform import-advisories DIR</code>).</p>
        {{^hasAdvisories}}<p class="problem">No advisory imported yet.</p>{{/hasAdvisories}}
        {{#applications}}
        <section class="inventory">
          <h2>{{appName}} <small>{{environment}}, reported by {{hostname}} at {{reportedAt}}</small></h2>
          {{#unchecked}}<p>{{unchecked}} dependencies pinned to a branch or revision were not checked.</p>{{/unchecked}}
          <table class="list vulnerable"><thead><tr><th>Package</th><th>Installed</th><th>Advisory</th><th>Aliases</th><th>Summary</th><th>Fixed in</th></tr></thead><tbody>
          {{#findings}}
            <tr><td><code>{{package}}</code></td><td><code>{{installed}}</code></td><td>{{advisoryID}}</td><td>{{aliases}}</td><td>{{summary}}</td><td>{{fixed}}</td></tr>
          {{/findings}}
          </tbody></table>
        </section>
        {{/applications}}
        {{^applications}}<p id="no-vulnerable">No application reports a dependency with a known advisory.</p>{{/applications}}
        {{#hasClean}}<h2>Without known vulnerable dependencies</h2>{{/hasClean}}
        <ul>{{#clean}}<li>{{appName}} ({{environment}}){{#unchecked}}: {{unchecked}} dependencies pinned to a branch or revision were not checked{{/unchecked}}</li>{{/clean}}</ul>
        {{> foot}}
        """
}
