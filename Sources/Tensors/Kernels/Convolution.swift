/// 2-D convolution and transposed convolution by im2col + sgemm, forward and backward.
///
/// Layout NCHW. Convolution weight `[Cout, Cin, KH, KW]`; transposed-convolution weight
/// `[Cin, Cout, KH, KW]` (PyTorch's layouts). Chellapilla et al. 2006 ("High Performance
/// Convolutional Neural Networks for Document Processing") for im2col; the transposed
/// convolution is the adjoint of the convolution, so each pass reuses the other's pieces.
public struct Convolution2DGeometry: Sendable, Equatable {
    /// Step of the kernel in both directions.
    public var stride: Int
    /// Zero padding on every side.
    public var padding: Int

    /// - Parameters:
    ///   - stride: step of the kernel in both directions (default 1).
    ///   - padding: zero padding on every side (default 0).
    public init(stride: Int = 1, padding: Int = 0) {
        self.stride = stride
        self.padding = padding
    }

    func outputSize(_ input: Int, kernel: Int) -> Int { (input + 2 * padding - kernel) / stride + 1 }
    func transposedOutputSize(_ input: Int, kernel: Int) -> Int { (input - 1) * stride - 2 * padding + kernel }
}

extension Tensor {
    /// Unfolds one image `[C, H, W]` into columns `[C*KH*KW, OH*OW]`.
    static func im2col(
        _ image: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
        kernelHeight: Int, kernelWidth: Int, geometry: Convolution2DGeometry,
        outputHeight: Int, outputWidth: Int, columns: UnsafeMutablePointer<Float>
    ) {
        let plane = outputHeight * outputWidth
        for c in 0..<channels {
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let row = columns + ((c * kernelHeight + ky) * kernelWidth + kx) * plane
                    for oy in 0..<outputHeight {
                        let iy = oy * geometry.stride - geometry.padding + ky
                        for ox in 0..<outputWidth {
                            let ix = ox * geometry.stride - geometry.padding + kx
                            row[oy * outputWidth + ox] = iy >= 0 && iy < height && ix >= 0 && ix < width
                                ? image[(c * height + iy) * width + ix] : 0
                        }
                    }
                }
            }
        }
    }

    /// Folds columns `[C*KH*KW, OH*OW]` back into an image `[C, H, W]`, adding overlaps.
    static func col2im(
        _ columns: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
        kernelHeight: Int, kernelWidth: Int, geometry: Convolution2DGeometry,
        outputHeight: Int, outputWidth: Int, image: UnsafeMutablePointer<Float>
    ) {
        let plane = outputHeight * outputWidth
        for c in 0..<channels {
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let row = columns + ((c * kernelHeight + ky) * kernelWidth + kx) * plane
                    for oy in 0..<outputHeight {
                        let iy = oy * geometry.stride - geometry.padding + ky
                        guard iy >= 0 && iy < height else { continue }
                        for ox in 0..<outputWidth {
                            let ix = ox * geometry.stride - geometry.padding + kx
                            if ix >= 0 && ix < width { image[(c * height + iy) * width + ix] += row[oy * outputWidth + ox] }
                        }
                    }
                }
            }
        }
    }

    /// 2-D convolution: input `[N, Cin, H, W]`, weight `[Cout, Cin, KH, KW]`, bias `[Cout]`.
    public func convolution2D(weight: Tensor, bias: Tensor?, geometry: Convolution2DGeometry = .init()) throws -> Tensor {
        guard rank == 4, weight.rank == 4, shape[1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(operation: "conv2d", lhs: shape, rhs: weight.shape)
        }
        if let bias, bias.shape != [weight.shape[0]] { throw TensorError.shapeMismatch(operation: "conv2d bias", lhs: weight.shape, rhs: bias.shape) }
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (cout, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let oh = geometry.outputSize(h, kernel: kh), ow = geometry.outputSize(w, kernel: kw)
        guard geometry.stride > 0, geometry.padding >= 0, oh > 0, ow > 0 else {
            throw TensorError.invalidArgument(operation: "conv2d", detail: "kernel \(kh)x\(kw) with \(geometry) does not fit input \(shape)")
        }
        let x = contiguous(), wt = weight.contiguous()
        let result = Tensor(uninitializedShape: [n, cout, oh, ow])
        let patch = cin * kh * kw, plane = oh * ow
        let columns = Tensor(uninitializedShape: [patch, plane])
        for image in 0..<n {
            Tensor.im2col(x.base + image * cin * h * w, channels: cin, height: h, width: w, kernelHeight: kh, kernelWidth: kw,
                          geometry: geometry, outputHeight: oh, outputWidth: ow, columns: columns.base)
            let out = result.base + image * cout * plane
            BLAS.sgemm(transposeA: false, transposeB: false, m: cout, n: plane, k: patch, alpha: 1,
                       a: wt.base, lda: patch, b: columns.base, ldb: plane, beta: 0, c: out, ldc: plane)
            if let bias {
                let b = bias.contiguous().base
                for o in 0..<cout { for p in 0..<plane { out[o * plane + p] += b[o] } }
            }
        }
        return result
    }

    /// Gradients of ``convolution2D(weight:bias:geometry:)``: input, weight, bias.
    public static func convolution2DBackward(
        input: Tensor, weight: Tensor, geometry: Convolution2DGeometry, outputGradient: Tensor
    ) throws -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let (n, cin, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (cout, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let oh = geometry.outputSize(h, kernel: kh), ow = geometry.outputSize(w, kernel: kw)
        guard outputGradient.shape == [n, cout, oh, ow] else {
            throw TensorError.shapeMismatch(operation: "conv2d backward", lhs: [n, cout, oh, ow], rhs: outputGradient.shape)
        }
        let x = input.contiguous(), wt = weight.contiguous(), dy = outputGradient.contiguous()
        let patch = cin * kh * kw, plane = oh * ow
        let dx = Tensor.zeros(input.shape), dw = Tensor.zeros(weight.shape), db = Tensor.zeros([cout])
        let columns = Tensor(uninitializedShape: [patch, plane])
        for image in 0..<n {
            let g = dy.base + image * cout * plane
            Tensor.im2col(x.base + image * cin * h * w, channels: cin, height: h, width: w, kernelHeight: kh, kernelWidth: kw,
                          geometry: geometry, outputHeight: oh, outputWidth: ow, columns: columns.base)
            // dW += dY [Cout, P] x cols^T [P, patch]
            BLAS.sgemm(transposeA: false, transposeB: true, m: cout, n: patch, k: plane, alpha: 1,
                       a: g, lda: plane, b: columns.base, ldb: plane, beta: 1, c: dw.base, ldc: patch)
            // dcols = W^T [patch, Cout] x dY [Cout, P]
            BLAS.sgemm(transposeA: true, transposeB: false, m: patch, n: plane, k: cout, alpha: 1,
                       a: wt.base, lda: patch, b: g, ldb: plane, beta: 0, c: columns.base, ldc: plane)
            Tensor.col2im(columns.base, channels: cin, height: h, width: w, kernelHeight: kh, kernelWidth: kw,
                          geometry: geometry, outputHeight: oh, outputWidth: ow, image: dx.base + image * cin * h * w)
            for o in 0..<cout { for p in 0..<plane { db.base[o] += g[o * plane + p] } }
        }
        return (dx, dw, db)
    }

    /// Transposed 2-D convolution: input `[N, Cin, H, W]`, weight `[Cin, Cout, KH, KW]`,
    /// output `[N, Cout, (H-1)*stride - 2*padding + KH, ...]`.
    public func transposedConvolution2D(weight: Tensor, bias: Tensor?, geometry: Convolution2DGeometry = .init()) throws -> Tensor {
        guard rank == 4, weight.rank == 4, shape[1] == weight.shape[0] else {
            throw TensorError.shapeMismatch(operation: "conv-transpose2d", lhs: shape, rhs: weight.shape)
        }
        if let bias, bias.shape != [weight.shape[1]] { throw TensorError.shapeMismatch(operation: "conv-transpose2d bias", lhs: weight.shape, rhs: bias.shape) }
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (cout, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
        let oh = geometry.transposedOutputSize(h, kernel: kh), ow = geometry.transposedOutputSize(w, kernel: kw)
        guard geometry.stride > 0, geometry.padding >= 0, oh > 0, ow > 0 else {
            throw TensorError.invalidArgument(operation: "conv-transpose2d", detail: "kernel \(kh)x\(kw) with \(geometry) does not fit input \(shape)")
        }
        let x = contiguous(), wt = weight.contiguous()
        let result = Tensor.zeros([n, cout, oh, ow])
        let patch = cout * kh * kw, plane = h * w
        let columns = Tensor(uninitializedShape: [patch, plane])
        for image in 0..<n {
            // cols [Cout*KH*KW, H*W] = W^T [patch, Cin] x X [Cin, H*W], then fold into the output.
            BLAS.sgemm(transposeA: true, transposeB: false, m: patch, n: plane, k: cin, alpha: 1,
                       a: wt.base, lda: patch, b: x.base + image * cin * plane, ldb: plane, beta: 0, c: columns.base, ldc: plane)
            let out = result.base + image * cout * oh * ow
            Tensor.col2im(columns.base, channels: cout, height: oh, width: ow, kernelHeight: kh, kernelWidth: kw,
                          geometry: geometry, outputHeight: h, outputWidth: w, image: out)
            if let bias {
                let b = bias.contiguous().base
                for o in 0..<cout { for p in 0..<(oh * ow) { out[o * oh * ow + p] += b[o] } }
            }
        }
        return result
    }

    /// Gradients of ``transposedConvolution2D(weight:bias:geometry:)``: input, weight, bias.
    public static func transposedConvolution2DBackward(
        input: Tensor, weight: Tensor, geometry: Convolution2DGeometry, outputGradient: Tensor
    ) throws -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let (n, cin, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (cout, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
        let oh = geometry.transposedOutputSize(h, kernel: kh), ow = geometry.transposedOutputSize(w, kernel: kw)
        guard outputGradient.shape == [n, cout, oh, ow] else {
            throw TensorError.shapeMismatch(operation: "conv-transpose2d backward", lhs: [n, cout, oh, ow], rhs: outputGradient.shape)
        }
        let x = input.contiguous(), wt = weight.contiguous(), dy = outputGradient.contiguous()
        let patch = cout * kh * kw, plane = h * w
        let dx = Tensor(uninitializedShape: input.shape), dw = Tensor.zeros(weight.shape), db = Tensor.zeros([cout])
        let columns = Tensor(uninitializedShape: [patch, plane])
        for image in 0..<n {
            let g = dy.base + image * cout * oh * ow
            // The adjoint of col2im is im2col: unfold dY with the input's grid as output grid.
            Tensor.im2col(g, channels: cout, height: oh, width: ow, kernelHeight: kh, kernelWidth: kw,
                          geometry: geometry, outputHeight: h, outputWidth: w, columns: columns.base)
            // dX [Cin, HW] = W [Cin, patch] x cols [patch, HW]
            BLAS.sgemm(transposeA: false, transposeB: false, m: cin, n: plane, k: patch, alpha: 1,
                       a: wt.base, lda: patch, b: columns.base, ldb: plane, beta: 0, c: dx.base + image * cin * plane, ldc: plane)
            // dW [Cin, patch] += X [Cin, HW] x cols^T [HW, patch]
            BLAS.sgemm(transposeA: false, transposeB: true, m: cin, n: patch, k: plane, alpha: 1,
                       a: x.base + image * cin * plane, lda: plane, b: columns.base, ldb: plane, beta: 1, c: dw.base, ldc: patch)
            for o in 0..<cout { for p in 0..<(oh * ow) { db.base[o] += g[o * oh * ow + p] } }
        }
        return (dx, dw, db)
    }
}
