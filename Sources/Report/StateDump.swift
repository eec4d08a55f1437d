// The three layers' states in a report are dumped by the tools' shared view and describer
// (`Refinement/Views/StateView+Text.swift`: `Describer.dump(StateView(...))`), the same text the
// explorer's `show` commands print.

func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
