/// libddwaf's rule modules (from the `module` tag), evaluated in this order. A blocking match in one module
/// stops the evaluation of the rest.
enum RuleModule: Int, Sendable, Comparable, CaseIterable {
    case networkACL
    case authenticationACL
    case customACL
    case configuration
    case businessLogic
    case rasp
    case waf

    init(tag: String?) {
        switch tag {
        case "network-acl": self = .networkACL
        case "authentication-acl": self = .authenticationACL
        case "custom-acl": self = .customACL
        case "configuration": self = .configuration
        case "business-logic": self = .businessLogic
        case "rasp": self = .rasp
        default: self = .waf
        }
    }

    static func < (lhs: RuleModule, rhs: RuleModule) -> Bool { lhs.rawValue < rhs.rawValue }

    /// ACL modules are cheap and must always run: they ignore the time budget.
    var ignoresBudget: Bool { self == .networkACL || self == .authenticationACL }

    /// Custom (user) rules come before base rules of the same verdict, except in these modules.
    var baseRulesFirst: Bool { self == .networkACL || self == .authenticationACL || self == .rasp }

    /// Only the WAF module groups rules by `type`: within a group, the first matching rule wins.
    var groupsByType: Bool { self == .waf }
}

/// Where a rule came from: the base ruleset (`rules`) or the user's `custom_rules`.
enum RuleSource: Int, Sendable {
    case base
    case user
}

/// Whether a rule's match blocks (it has a blocking action) or only reports.
enum RuleVerdict: Int, Sendable, Comparable {
    case none
    case monitor
    case block

    static func < (lhs: RuleVerdict, rhs: RuleVerdict) -> Bool { lhs.rawValue < rhs.rawValue }
}
