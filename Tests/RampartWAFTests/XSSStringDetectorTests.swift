import Testing
@testable import RampartWAF

/// `is_xss` on single untrusted strings: executable constructs in each context, and harmless markup and prose.
@Suite struct XSSStringDetectorTests {
    static let attacks: [String] = [
        // text context: script-capable elements
        "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<svg><script>alert&#40;1&#41;</script>",
        "<scr<script>ipt>alert(1)</script>", "<iframe src=//evil.example>", "<object data=x.swf>", "<embed src=x.swf>",
        "<applet code=X>", "<base href=//evil.example/>", "<frameset><frame src=x>", "<script\n>alert(1)</script\n>",
        // event handlers
        "<img src=x onerror=alert(document.cookie)>", "<body onload=alert('x')>", "<details open ontoggle=alert(1)>",
        "<svg/onload=alert(1)>", "\"><svg/onload=alert(1)>", "<math><mtext><img src=x onerror=alert(2)>",
        "<div onmouseover=\"alert(1)\">x</div>", "<input autofocus onfocus=alert(1)>", "<video><source onerror=alert(1)>",
        "<img src=x onerror=alert(1)", "<a onclick='go()'>x</a>", "<marquee onstart=alert(1)>",
        // script URLs
        "<a href=\"javascript:confirm(1)\">x</a>", "<iframe src=javascript:alert(1)>", "<a href=' javascript:alert(1)'>x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>", "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>", "<form action=javascript:alert(1)><button>go", "<button formaction=javascript:alert(1)>",
        "<a href=\"vbscript:msgbox(1)\">x</a>", "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        // styles
        "<div style=\"width: expression(alert(1))\">", "<div style=\"background:url(javascript:alert(1))\">",
        "<style>body{background:url(\"javascript:alert(1)\")}</style>", "<div style=\"x:ex/**/pression(alert(1))\">",
        // srcdoc
        "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">",
        // attribute contexts
        "\" onmouseover=\"alert(1)", "' onfocus='alert(1)' autofocus='", "x onerror=alert(1)", "\" autofocus onfocus=alert(1) x=\"",
        "\"><img src=x onerror=alert(1)>",
        // URL attribute context
        "javascript:alert(1)", "  JavaScript:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<b>x",
        // JavaScript string context
        "'-alert(1)-'", "\";confirm(1)//", "'+prompt(1)+'", "<img src=`x`onerror=alert(1)>", "javascript:void(0)",
        "<a href=\"jav&#x0A;ascript:alert(1)\">", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<style>@import'//evil.example/x.css';</style>", "<XSS STYLE=\"behavior: url(xss.htc);\">", "<svg><set attributeName=href to=javascript:alert(1)>",
    ]

    static let benign: [String] = [
        "Use <b>bold</b> in markdown? No, use **bold**.", "The <3 emoji is cute", "a < b and c > d", "x<y",
        "<p>Hello <em>world</em></p>", "<a href=\"https://example.com/\">link</a>", "<img src=\"/logo.png\" alt=\"logo\">",
        "<!-- a comment with <script> inside -->", "</script", "He said \"hello\" and left.", "O'Brien", "Tim O'Brien",
        "C'est déjà l'été", "It's on sale", "turn on the lights", "once upon a time", "online store",
        "javascript tutorial for beginners", "I love JavaScript: it's fun", "The data: text/html is a MIME type",
        "email me at jane.doe@example.com", "{\"a\": \"<b>\"}", "[link](https://example.com)", "**bold** _it_",
        "# Title", "5 > 3 < 4", "if (a < b) { c = d; }", "function(x) { return x * 2 } is a closure",
        "https://www.example.com/path?ref=newsletter&utm_source=mail", "path/to/my/file.txt",
        "<div class=\"on\">x</div>", "<input value=\"on\">", "<span style=\"color: red\">red</span>",
        "a=b&c=d is how query strings look", "50% off -- today only!", "' OR '1'='1", "1 UNION SELECT 1",
        "<b onion=\"\">x</b>".replacingOccurrences(of: "onion=\"\"", with: "data-onion=\"1\""),
        "Price: $19.99 (was $24.99)", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "text/html,application/xhtml+xml", "en-US,en;q=0.9", "I'm; not; sure", "12 Baker's Street",
        "<3 <3 <3", "<<>>", "<", ">", "<a", "<img", "<a href=", "don't - stop(me) now", "It's -- honestly -- great",
        "call me (maybe)", "x' + y", "\"hello\" + \"world\"", "JavaScript: the good parts",
        "JavaScript: the good parts <a href=\"/page\">", "data: text/html is a MIME type", "<img src=x/onerror=alert(1)>",
        "<div class=\"onboarding\">welcome</div>", "vbscript was a language", "<abbr title=\"a <b> c\">x</abbr>",
        "<style>body { color: red }</style>", "<a href=\"//www.example.com/\">x</a>",
    ]

    @Test(arguments: attacks)
    func detectsScript(_ value: String) throws {
        let verdict = try #require(XSSStringDetector.detect(value), "missed: \(value)")
        #expect(!verdict.reason.isEmpty)
        #expect(verdict.location.upperBound <= value.utf8.count)
    }

    @Test(arguments: benign)
    func acceptsHarmlessMarkup(_ value: String) {
        let verdict = XSSStringDetector.detect(value)
        #expect(verdict == nil, "\(value): \(verdict?.reason ?? "")")
    }

    @Test func tableIsLargeAndBalanced() {
        #expect(Self.attacks.count + Self.benign.count >= 100)
        #expect(Self.attacks.count >= 50 && Self.benign.count >= 50)
    }

    @Test func verdictNamesConstructAndContext() throws {
        let tag = try #require(XSSStringDetector.detect("hi <script>alert(1)</script>"))
        #expect(tag.construct == .scriptCapableElement("script"))
        #expect(tag.context == .text)
        #expect(tag.location == 3..<10)

        let handler = try #require(XSSStringDetector.detect("\" onmouseover=\"alert(1)"))
        #expect(handler.construct == .eventHandler("onmouseover"))
        #expect(handler.context == .doubleQuotedAttribute)
        #expect(handler.reason == "inside a double-quoted attribute value, the value closes it and adds an onmouseover= event handler")

        let url = try #require(XSSStringDetector.detect("<a href=\"&#106;avascript:alert(1)\">x</a>"))
        #expect(url.construct == .scriptURL(attribute: "href", scheme: "javascript:"))

        let bare = try #require(XSSStringDetector.detect(Array("javascript:alert(1)".utf8)))
        #expect(bare.context == .urlAttribute)
    }
}
