/// A small deterministic generator (SplitMix64), so that a demo book with the same seed is the same
/// book on every machine.
public struct DemoRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    public mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

    public mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
}

/// Names for demo customers: a city, a trade word and a company form, as Chinese firms are named.
enum DemoNames {
    static let cities = ["上海", "北京", "深圳", "广州", "杭州", "苏州", "南京", "成都", "武汉", "宁波", "东莞", "佛山",
                         "天津", "重庆", "青岛", "厦门", "无锡", "合肥", "长沙", "郑州"]
    static let words = ["华盛", "恒通", "鑫源", "金桥", "东方", "新创", "宏达", "瑞丰", "永泰", "中科", "锦程", "天成",
                        "海纳", "佳美", "盛世", "远航", "明德", "汇丰", "嘉禾", "卓越", "正泰", "博远", "诚信", "德润"]
    static let trades = ["机械", "电子", "化工", "贸易", "包装", "建材", "食品", "物流", "五金", "纺织", "医疗器械", "汽车配件",
                         "塑胶", "照明", "家具", "环保科技"]
    static let forms = ["有限公司", "股份有限公司", "贸易有限公司", "科技有限公司"]
}
