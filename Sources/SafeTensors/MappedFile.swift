#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole regular file.
///
/// Mapping instead of reading means a multi-gigabyte checkpoint costs no copy and no
/// resident memory until a tensor is touched, and the page cache is shared between
/// processes. The mapping is private and read-only, so the bytes are immutable for this
/// process and concurrent readers need no lock.
///
/// Caveat: if another process truncates the file while it is mapped, touching the lost
/// pages raises SIGBUS; no user-space check can prevent that race.
final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with, for error messages.
    let path: String
    /// The mapped bytes (an empty buffer for an empty file).
    let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`.
    ///
    /// - Throws: ``SafeTensorsError`` `.cannotOpen` if it cannot be opened or mapped,
    ///   `.notARegularFile` for a directory or device.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SafeTensorsError.system(.cannotOpen, path: path, action: "open", errorNumber: errno)
        }
        // The mapping keeps the file alive; the descriptor is not needed after mmap.
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SafeTensorsError.system(.cannotOpen, path: path, action: "fstat", errorNumber: errno)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            let what = (status.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            throw SafeTensorsError(.notARegularFile, path: path, detail: "is \(what), expected a .safetensors file")
        }
        let size = Int(status.st_size)
        // mmap rejects length 0; an empty file is reported by the header parser instead.
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
              address != MAP_FAILED
        else {
            throw SafeTensorsError.system(.cannotOpen, path: path, action: "mmap", errorNumber: errno)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    /// Tells the kernel the given byte range will be read front to back soon, so it reads
    /// ahead in large chunks instead of faulting page by page.
    func adviseSequentialRead(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        // madvise needs a page-aligned start.
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound - range.lowerBound % pageSize
        let pointer = UnsafeMutableRawPointer(mutating: base + start)
        _ = madvise(pointer, range.upperBound - start, MADV_WILLNEED)
    }
}
