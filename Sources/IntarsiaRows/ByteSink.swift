/// Where `FieldBytes` appends a field's UTF-8 bytes: a `[UInt8]`, or a `ByteSink` when millions
/// of fields are written (the CSV rows of a search).
public protocol ByteOutput {
    /// Bytes written so far.
    var count: Int { get }
    mutating func appendByte(_ b: UInt8)
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Calls `body` with the bytes from `start` on.
    func withBytes<R>(from start: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R
    /// Drops the bytes from `start` on.
    mutating func removeBytes(from start: Int)
}

extension Array: ByteOutput where Element == UInt8 {
    @inlinable public mutating func appendByte(_ b: UInt8) { append(b) }
    @inlinable public mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
    @inlinable public func withBytes<R>(from start: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start...])) }
    }
    @inlinable public mutating func removeBytes(from start: Int) { removeSubrange(start...) }
}

/// A growing byte buffer behind a raw pointer: an append is a capacity test and a copy, where
/// `[UInt8]`'s also checks the array's uniqueness (the CSV rows of a search append about a
/// hundred short runs a row; with the column switch, rows cost 7,700 instructions instead of
/// 10,500, BENCHMARKS.md "Session 14"). Used only inside `collect`, which frees it.
public struct ByteSink: ByteOutput {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written = 0
    public var count: Int { written }

    @usableFromInline init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    /// The bytes `body` appends to a sink of `capacity` bytes to start with (it grows).
    public static func collect(capacity: Int, _ body: (inout ByteSink) -> Void) -> [UInt8] {
        var sink = ByteSink(capacity: capacity)
        defer { sink.base.deallocate() }
        body(&sink)
        return Array(UnsafeBufferPointer(start: sink.base, count: sink.count))
    }

    @usableFromInline mutating func grow(to needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        bigger.update(from: base, count: written)
        base.deallocate()
        base = bigger
        capacity = c
    }

    @inlinable @inline(__always) public mutating func appendByte(_ b: UInt8) {
        if written == capacity { grow(to: written + 1) }
        base[written] = b
        written += 1
    }

    @inlinable @inline(__always) public mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        if written + n > capacity { grow(to: written + n) }
        guard n > 0, let source = bytes.baseAddress else { return }
        (base + written).update(from: source, count: n)
        written += n
    }

    public func withBytes<R>(from start: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: base + start, count: count - start))
    }

    public mutating func removeBytes(from start: Int) { written = start }
}
