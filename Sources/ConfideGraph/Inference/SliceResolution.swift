import ConfideCore

/// A `GetSlice` argument resolved against an array shape, with CipherCore's rules (`slices.rs`).
///
/// The rules are NumPy's basic slicing with three differences CipherCore makes: every index a
/// sub-array visits must lie inside the dimension (no clamping), an empty sub-array is an error, and
/// at most one `Ellipsis` is allowed. Negative indices count from the end; a missing start is the
/// first element in the direction of the step, a missing stop is one past the last; a single index
/// removes its dimension; dimensions after the slice are kept whole.
public struct SliceResolution: Sendable, Equatable {
    /// What the slice takes from one dimension of the source.
    public struct Dimension: Sendable, Equatable {
        /// The first source index taken.
        public var start: Int
        /// How many indices are taken (1 for a single index).
        public var count: Int
        /// The distance between consecutive indices taken (negative when walking backwards).
        public var step: Int
        /// False when a single index removes this dimension from the result.
        public var keepsDimension: Bool

        public init(start: Int, count: Int, step: Int, keepsDimension: Bool) {
            self.start = start
            self.count = count
            self.step = step
            self.keepsDimension = keepsDimension
        }
    }

    /// The shape the slice was resolved against.
    public let sourceShape: [Int]
    /// One entry per dimension of ``sourceShape``.
    public let dimensions: [Dimension]

    /// The shape of the result (`[]` means a scalar).
    public var resultShape: [Int] { dimensions.filter(\.keepsDimension).map(\.count) }

    /// Resolves a slice against a shape.
    /// - Parameters:
    ///   - elements: the `GetSlice` argument.
    ///   - shape: the shape of the sliced array (positive dimensions).
    /// - Throws: `.invalidArgument` for more than one `Ellipsis`, a slice longer than the shape, a zero
    ///   step or an empty sub-array; `.outOfRange` for an index outside its dimension; `.invalidType`
    ///   for a non-positive dimension.
    public init(_ elements: [Operation.SliceElement], shape: [Int]) throws {
        for dimension in shape where dimension <= 0 {
            throw ConfideError(.invalidType, "shape \(shape) has a non-positive dimension \(dimension)")
        }
        let ellipses = elements.filter { $0 == .ellipsis }.count
        guard ellipses <= 1 else {
            throw ConfideError(.invalidArgument, "a slice may contain at most one Ellipsis, found \(ellipses)")
        }
        var expanded: [Operation.SliceElement] = []
        for element in elements {
            if element == .ellipsis {
                let padding = shape.count - elements.count + 1
                guard padding >= 0 else {
                    throw ConfideError(.invalidArgument, "slice of \(elements.count) elements (with an Ellipsis) is too long for shape \(shape)")
                }
                expanded.append(contentsOf: repeatElement(.subArray(start: nil, stop: nil, step: nil), count: padding))
            } else {
                expanded.append(element)
            }
        }
        guard expanded.count <= shape.count else {
            throw ConfideError(.invalidArgument, "slice of \(expanded.count) elements is too long for shape \(shape)")
        }
        var dimensions: [Dimension] = []
        dimensions.reserveCapacity(shape.count)
        for (axis, size) in shape.enumerated() {
            if axis < expanded.count {
                dimensions.append(try SliceResolution.resolve(expanded[axis], size: size, axis: axis))
            } else {
                dimensions.append(Dimension(start: 0, count: size, step: 1, keepsDimension: true))
            }
        }
        self.sourceShape = shape
        self.dimensions = dimensions
    }

    /// For every element of the result (row-major), the flat row-major index of the source element
    /// it is taken from. The source shape must have passed ``TypeInference/validate(_:)``.
    public func sourceFlatIndices() -> [Int] {
        var strides = [Int](repeating: 1, count: sourceShape.count)
        var running = 1
        for axis in sourceShape.indices.reversed() {
            strides[axis] = running
            running &*= sourceShape[axis]
        }
        let total = dimensions.reduce(1) { $0 &* $1.count }
        var result = [Int](repeating: 0, count: total)
        guard total > 0 else { return result }
        let rank = dimensions.count
        var offset = 0
        for axis in 0..<rank { offset &+= dimensions[axis].start &* strides[axis] }
        let moves = (0..<rank).map { dimensions[$0].step &* strides[$0] }
        var counter = [Int](repeating: 0, count: rank)
        result.withUnsafeMutableBufferPointer { out in
            for position in 0..<total {
                out[position] = offset
                var axis = rank - 1
                while axis >= 0 {
                    counter[axis] += 1
                    offset &+= moves[axis]
                    if counter[axis] < dimensions[axis].count { break }
                    offset &-= moves[axis] &* counter[axis]
                    counter[axis] = 0
                    axis -= 1
                }
            }
        }
        return result
    }

    /// Resolves one slice element (never an Ellipsis) against a dimension of `size` elements.
    private static func resolve(_ element: Operation.SliceElement, size: Int, axis: Int) throws -> Dimension {
        switch element {
        case let .singleIndex(index):
            let resolved = index < 0 ? Int128(index) + Int128(size) : Int128(index)
            guard resolved >= 0, resolved < Int128(size) else {
                throw ConfideError(.outOfRange, "index \(index) is out of bounds for axis \(axis) of size \(size)")
            }
            return Dimension(start: Int(resolved), count: 1, step: 1, keepsDimension: false)
        case let .subArray(start, stop, step):
            return try resolveSubArray(start: start, stop: stop, step: step, size: size, axis: axis)
        case .ellipsis:
            throw ConfideError(.invalidArgument, "unexpected Ellipsis at axis \(axis)")
        }
    }

    /// CipherCore's `normalize_subarray` and `get_slice_shape_1d`, in closed form.
    private static func resolveSubArray(start: Int?, stop: Int?, step: Int?, size: Int, axis: Int) throws -> Dimension {
        let text = "\(start.map(String.init) ?? ""):\(stop.map(String.init) ?? ""):\(step.map(String.init) ?? "")"
        let step = Int128(step ?? 1)
        guard step != 0 else {
            throw ConfideError(.invalidArgument, "slice \(text) at axis \(axis) has a zero step")
        }
        let n = Int128(size)
        var begin = start.map { Int128($0) } ?? (step > 0 ? 0 : n - 1)
        if begin < 0 { begin += n }
        let end = stop.map { Int128($0) < 0 ? Int128($0) + n : Int128($0) } ?? (step > 0 ? n : -1)
        let distance = step > 0 ? end - begin : begin - end
        guard distance > 0 else {
            throw ConfideError(.invalidArgument, "slice \(text) at axis \(axis) of size \(size) is empty")
        }
        let magnitude = step > 0 ? step : -step
        let count = (distance + magnitude - 1) / magnitude
        let last = begin + (count - 1) * step
        let inside = { (index: Int128) in index >= 0 && index < n }
        guard inside(begin), inside(last) else {
            let offending: Int128
            if !inside(begin) {
                offending = begin
            } else {
                let room = step > 0 ? n - begin : begin + 1
                offending = begin + ((room + magnitude - 1) / magnitude) * step
            }
            throw ConfideError(.outOfRange, "slice \(text) at axis \(axis) visits index \(offending), outside [0, \(size))")
        }
        return Dimension(start: Int(begin), count: Int(count), step: Int(step), keepsDimension: true)
    }
}
