/// Depth-first iteration over the scalars (or map keys) under an address, within `WAFLimits`, tracking the key
/// path of each item and skipping excluded sub-trees — libddwaf's value and key iterators.
struct ValueWalker {
    let limits: WAFLimits
    /// Paths (from the address root) hidden by input exclusions.
    let excludedPaths: [[KeyPathComponent]]

    init(limits: WAFLimits, excludedPaths: [[KeyPathComponent]] = []) {
        self.limits = limits
        self.excludedPaths = excludedPaths
    }

    /// What the walker hands to its visitor: a scalar value, or a map key when walking keys.
    enum Item {
        case scalar(WAFValue)
        case key(String)
    }

    /// The value at `keyPath` under `root` (first matching key in maps, index — negative from the end — in
    /// arrays), or nil.
    static func resolve(_ root: WAFValue, keyPath: [KeyPathComponent], limits: WAFLimits) -> WAFValue? {
        var current = root
        for (level, component) in keyPath.enumerated() {
            if level + 1 >= limits.maxDepth { return nil }
            switch (current, component) {
            case (.map(let entries), .key(let key)):
                guard let entry = entries.prefix(limits.maxContainerSize).first(where: { $0.key == key }) else {
                    return nil
                }
                current = entry.value
            case (.array(let elements), .index(let index)):
                let position = index < 0 ? elements.count + index : index
                guard position >= 0, position < min(elements.count, limits.maxContainerSize) else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    /// Visits every item under `root` reached through `keyPath`; the visitor returns false to stop.
    /// Returns false when stopped by the visitor.
    @discardableResult
    func walk(
        _ root: WAFValue, keyPath: [KeyPathComponent], source: DataSource,
        visit: (Item, [KeyPathComponent]) -> Bool
    ) -> Bool {
        if isExcluded([]) { return true }
        var path: [KeyPathComponent] = []
        var current = root
        for component in keyPath {
            guard let next = Self.resolve(current, keyPath: [component], limits: limits) else { return true }
            path.append(component)
            if isExcluded(path) { return true }
            current = next
        }
        return walk(current, level: 1 + keyPath.count, path: &path, source: source, visit: visit)
    }

    /// An excluded path matches a path of the same length; its `*` components match any key or index.
    private func isExcluded(_ path: [KeyPathComponent]) -> Bool {
        guard !excludedPaths.isEmpty else { return false }
        return excludedPaths.contains { excluded in
            excluded.count == path.count
                && zip(excluded, path).allSatisfy { pattern, component in
                    pattern == component || pattern == .key("*")
                }
        }
    }

    private func walk(
        _ value: WAFValue, level: Int, path: inout [KeyPathComponent], source: DataSource,
        visit: (Item, [KeyPathComponent]) -> Bool
    ) -> Bool {
        switch value {
        case .map(let entries):
            guard level < limits.maxDepth else { return true }
            for entry in entries.prefix(limits.maxContainerSize) {
                path.append(.key(entry.key))
                defer { path.removeLast() }
                if isExcluded(path) { continue }
                if source == .keys, !visit(.key(entry.key), path) { return false }
                if !walk(entry.value, level: level + 1, path: &path, source: source, visit: visit) { return false }
            }
            return true
        case .array(let elements):
            guard level < limits.maxDepth else { return true }
            for (index, element) in elements.prefix(limits.maxContainerSize).enumerated() {
                path.append(.index(index))
                defer { path.removeLast() }
                if isExcluded(path) { continue }
                if !walk(element, level: level + 1, path: &path, source: source, visit: visit) { return false }
            }
            return true
        default:
            guard source == .values else { return true }
            return visit(.scalar(value), path)
        }
    }
}
