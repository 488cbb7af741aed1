/// The `actions` section: ids → what to do (`block_request`, `redirect_request`, `generate_stack`, custom).
enum ActionParser {
    static func parse(_ value: WAFValue?, diagnostics: inout RulesetDiagnostics.Section) -> [String: WAFAction] {
        var actions = WAFAction.defaults
        guard let value else { return actions }
        guard case .array(let items) = value else {
            diagnostics.error = "invalid type '\(value.typeName)' for key 'actions', expected 'array'"
            return actions
        }
        for (index, item) in items.enumerated() {
            var id = "index:\(index)"
            do throws(RulesetError) {
                let object = try ConfigObject(item, name: "action")
                id = try object.string("id")
                let type = try object.string("type")
                let parameters = try object.stringMap("parameters") ?? [:]
                actions[id] = try makeAction(id: id, type: type, parameters: parameters)
                diagnostics.recordLoaded(id)
            } catch {
                diagnostics.recordFailure(id, error)
            }
        }
        return actions
    }

    static func makeAction(id: String, type: String, parameters: [String: String]) throws(RulesetError) -> WAFAction {
        switch type {
        case "block_request":
            let status = parameters["status_code"].flatMap { Int($0) } ?? 403
            let responseType = parameters["type"].flatMap(BlockResponseType.init(rawValue:)) ?? .auto
            return .block(status: status, type: responseType, id: id)
        case "redirect_request":
            guard let location = parameters["location"], !location.isEmpty else {
                // libddwaf turns a redirect without location into the default block.
                return .block(status: 403, type: .auto, id: id)
            }
            var status = parameters["status_code"].flatMap { Int($0) } ?? 303
            if ![301, 302, 303, 307, 308].contains(status) { status = 303 }
            return .redirect(status: status, location: location, id: id)
        case "generate_stack":
            return .generateStack(id: id)
        default:
            return .custom(id: id, type: type, parameters: parameters)
        }
    }
}
