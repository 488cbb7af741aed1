/// Condition evaluation one condition at a time, for the cases scan groups don't cover: inputs with parts
/// excluded for one rule, and negated operators (which need to see every value).
enum DirectEvaluation {
    static func scalar(
        _ root: WAFValue, input: ConditionInput, matcher: any ScalarMatcher, limits: WAFLimits,
        excluded: [[KeyPathComponent]], ephemeral: Bool, deadline: inout Deadline
    ) throws(DeadlineExceeded) -> ConditionHit? {
        var hit: ConditionHit?
        var timedOut = false
        ValueWalker(limits: limits, excludedPaths: excluded).walk(root, keyPath: input.keyPath, source: input.source) {
            item, path in
            if deadline.tick() {
                timedOut = true
                return false
            }
            guard let outcome = evaluate(item, input: input, matcher: matcher, limits: limits) else { return true }
            hit = ConditionHit(
                address: input.address, keyPath: path, value: outcome.value, highlight: outcome.highlight,
                operatorName: matcher.operatorName, operatorValue: matcher.operatorValue, ephemeral: ephemeral)
            return false
        }
        if timedOut { throw DeadlineExceeded() }
        return hit
    }

    /// `!operator`: matches when the input exists, has at least one value the matcher can read, and none matches.
    static func negated(
        _ root: WAFValue, input: ConditionInput, matcher: any ScalarMatcher, limits: WAFLimits,
        excluded: [[KeyPathComponent]], ephemeral: Bool, deadline: inout Deadline
    ) throws(DeadlineExceeded) -> ConditionHit? {
        guard let target = ValueWalker.resolve(root, keyPath: input.keyPath, limits: limits) else { return nil }
        if input.source == .keys, case .map = target {} else if input.source == .keys { return nil }
        var evaluated = false
        var matched = false
        var timedOut = false
        ValueWalker(limits: limits, excludedPaths: excluded).walk(root, keyPath: input.keyPath, source: input.source) {
            item, _ in
            if deadline.tick() {
                timedOut = true
                return false
            }
            switch item {
            case .key, .scalar(.string): guard matcher.inspectsStrings else { return true }
            case .scalar(let scalar): guard matcher.inspects(scalar) else { return true }
            }
            evaluated = true
            if evaluate(item, input: input, matcher: matcher, limits: limits) != nil {
                matched = true
                return false
            }
            return true
        }
        if timedOut { throw DeadlineExceeded() }
        guard evaluated, !matched else { return nil }
        var shown = target
        if case .array(let elements) = target, elements.count == 1 { shown = elements[0] }
        let text = input.source == .keys ? "" : shown.scalarText
        return ConditionHit(
            address: input.address, keyPath: input.keyPath, value: text, highlight: text,
            operatorName: "!" + matcher.operatorName, operatorValue: matcher.operatorValue, ephemeral: ephemeral)
    }

    /// One item through the input's transformers and the matcher: the reported value and highlight on a match.
    static func evaluate(
        _ item: ValueWalker.Item, input: ConditionInput, matcher: any ScalarMatcher, limits: WAFLimits
    ) -> (value: String, highlight: String)? {
        var text: String
        switch item {
        case .key(let key): text = key
        case .scalar(.string(let string)): text = string
        case .scalar(let scalar):
            guard matcher.inspects(scalar), let highlight = matcher.match(scalar: scalar) else { return nil }
            return (scalar.scalarText, highlight)
        }
        guard matcher.inspectsStrings else { return nil }
        return text.withUTF8 { raw -> (String, String)? in
            let whole = UnsafeRawBufferPointer(raw)
            let bytes = UnsafeRawBufferPointer(rebasing: whole[0..<limits.inspectedLength(of: whole)])
            if let transformed = input.transformers.apply(bytes) {
                return transformed.withUnsafeBytes { buffer in
                    matcher.match(buffer).map { (String(highlight: buffer), $0) }
                }
            }
            return matcher.match(bytes).map { (String(highlight: bytes), $0) }
        }
    }
}
