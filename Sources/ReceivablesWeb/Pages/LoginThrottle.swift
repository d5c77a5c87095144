/// Slows the guessing of passwords without locking anyone out.
///
/// Each failed sign-in counts against the user name tried and against the client's address. The first
/// few failures cost nothing; after them, each attempt for that name (or from that address) must wait
/// 1, 2, 4, … seconds after the last failure, up to a cap. So guessing one account's password, or many
/// accounts' from one address, is slowed to one try per cap, while the account's owner — even while
/// someone guesses at it — waits at most the cap, never a lock-out. Failures older than the window are
/// forgotten; a successful sign-in clears its name's count.
actor LoginThrottle {
    struct Rule: Sendable {
        /// Failures that cost no waiting.
        let free: Int
        /// The longest wait, in seconds.
        let waitMax: Int64
    }

    static let byName = Rule(free: 3, waitMax: 60)
    static let byAddress = Rule(free: 10, waitMax: 300)
    static let windowSeconds: Int64 = 15 * 60
    /// Names and addresses remembered at most: a flood of them cannot grow the memory without bound.
    static let keysMax = 100_000
    /// Failures remembered per key at most (only the count in the window and the last one matter).
    static let failuresKept = 64

    private var names: [String: [Int64]] = [:]
    private var addresses: [String: [Int64]] = [:]

    /// Seconds `name` must still wait before a try from `address` (0: it may try now).
    func wait(name: String, address: String, now: Int64) -> Int64 {
        max(Self.wait(&names[name.lowercased()], Self.byName, now: now), Self.wait(&addresses[address], Self.byAddress, now: now))
    }

    func failed(name: String, address: String, now: Int64) {
        Self.record(now, in: &names, key: name.lowercased())
        Self.record(now, in: &addresses, key: address)
    }

    func succeeded(name: String) { names[name.lowercased()] = nil }

    private static func wait(_ failures: inout [Int64]?, _ rule: Rule, now: Int64) -> Int64 {
        let recent = (failures ?? []).filter { now - $0 < windowSeconds }
        failures = recent.isEmpty ? nil : recent
        guard recent.count >= rule.free, let last = recent.last else { return 0 }
        let wait = min(Int64(1) << Int64(min(recent.count - rule.free, 30)), rule.waitMax)
        return max(0, last + wait - now)
    }

    private static func record(_ now: Int64, in table: inout [String: [Int64]], key: String) {
        if table[key] == nil, table.count >= keysMax { table.removeAll() }
        table[key, default: []].append(now)
        if let count = table[key]?.count, count > failuresKept { table[key]?.removeFirst(count - failuresKept) }
    }
}
