// Addresses and words as reports, invariant explanations and tools print them.

/// `value` in lower-case hexadecimal with a `0x` prefix and no padding (`0x1f000`).
public func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
