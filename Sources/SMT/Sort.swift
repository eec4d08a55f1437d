// Sorts (types) of terms.

internal import CZ3

/// The sort of a term.
public indirect enum Sort: Hashable, Sendable, CustomStringConvertible {
  case bool
  /// Bit-vectors of the given width (≥ 1).
  case bitVector(width: UInt32)
  /// Mathematical integers.
  case int
  /// Total maps from `domain` to `range`.
  case array(domain: Sort, range: Sort)

  public var description: String {
    switch self {
    case .bool: "Bool"
    case .bitVector(let width): "(_ BitVec \(width))"
    case .int: "Int"
    case .array(let domain, let range): "(Array \(domain) \(range))"
    }
  }
}

extension Context {
  /// The Z3 sort for `sort`; nil (with the error recorded) if Z3 rejects it.
  func z3Sort(_ sort: Sort) -> Z3_sort? {
    let result: Z3_sort?
    switch sort {
    case .bool: result = Z3_mk_bool_sort(raw)
    case .bitVector(let width): result = Z3_mk_bv_sort(raw, width)
    case .int: result = Z3_mk_int_sort(raw)
    case .array(let domain, let range):
      guard let d = z3Sort(domain), let r = z3Sort(range) else { return nil }
      result = Z3_mk_array_sort(raw, d, r)
    }
    return checkError() == nil ? result : nil
  }

  /// The Swift description of a Z3 sort.
  func swiftSort(_ sort: Z3_sort) -> Sort? {
    let kind = Z3_get_sort_kind(raw, sort)
    switch kind {
    case Z3_BOOL_SORT: return .bool
    case Z3_BV_SORT: return .bitVector(width: Z3_get_bv_sort_size(raw, sort))
    case Z3_INT_SORT: return .int
    case Z3_ARRAY_SORT:
      guard let d = swiftSort(Z3_get_array_sort_domain(raw, sort)),
        let r = swiftSort(Z3_get_array_sort_range(raw, sort))
      else { return nil }
      return .array(domain: d, range: r)
    default: return nil
    }
  }
}
