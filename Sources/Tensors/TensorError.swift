/// Errors thrown by tensor operations. Messages name the operation and the shapes at fault.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    /// Two operands whose shapes do not fit together.
    case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
    /// An axis outside `-rank..<rank`.
    case invalidAxis(operation: String, axis: Int, shape: [Int])
    /// A shape whose element count differs from the data's.
    case invalidShape(operation: String, shape: [Int], detail: String)
    /// Any other invalid argument (an index out of range, a negative size, ...).
    case invalidArgument(operation: String, detail: String)

    /// One line: the operation, then what is wrong with its arguments.
    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs):
            return "\(op): shapes \(lhs) and \(rhs) do not match"
        case let .invalidAxis(op, axis, shape):
            return "\(op): axis \(axis) is out of range for shape \(shape)"
        case let .invalidShape(op, shape, detail):
            return "\(op): invalid shape \(shape): \(detail)"
        case let .invalidArgument(op, detail):
            return "\(op): \(detail)"
        }
    }
}
