// ANSI colours for a terminal; plain text in a pipe or when NO_COLOR is set (no-color.org).

/// Text styling, off unless the session writes to a terminal that allows colour.
public struct Style: Sendable {
  public var enabled: Bool

  public init(enabled: Bool) { self.enabled = enabled }

  /// Colour when `isTerminal` and the environment has no `NO_COLOR` (any value, even empty).
  public static func forOutput(isTerminal: Bool, environment: [String: String]) -> Style {
    Style(enabled: isTerminal && environment["NO_COLOR"] == nil)
  }

  private func wrap(_ code: String, _ text: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  func bold(_ s: String) -> String { wrap("1", s) }
  func dim(_ s: String) -> String { wrap("2", s) }
  func red(_ s: String) -> String { wrap("31", s) }
  func green(_ s: String) -> String { wrap("32", s) }
  func yellow(_ s: String) -> String { wrap("33", s) }
  func cyan(_ s: String) -> String { wrap("36", s) }

  /// `held` in green or `FAILED` in red.
  func verdict(_ held: Bool) -> String { held ? green("held") : red("FAILED") }
}
