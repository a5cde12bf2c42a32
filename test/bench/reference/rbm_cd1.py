"""CD-1 epochs of a Bernoulli-Bernoulli RBM in NumPy (float32), the same work per batch as Blockspin's
trainer: p(h|v0), a hidden sample, p(v|h0), a visible sample, p(h|v1), the outer products, momentum
updates of W and both biases, and the reconstruction error. Prints {"epochs": [seconds, ...]} as JSON.

usage: python3 rbm_cd1.py N NV NH BATCH EPOCHS
"""
import json
import sys
import time

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def main():
    n, nv, nh, batch, epochs = (int(a) for a in sys.argv[1:6])
    rng = np.random.default_rng(1)
    data = (rng.random((n, nv)) < 0.5).astype(np.float32)
    W = (0.01 * rng.standard_normal((nv, nh))).astype(np.float32)
    vb = np.zeros(nv, np.float32)
    hb = np.zeros(nh, np.float32)
    dW = np.zeros_like(W)
    dvb = np.zeros_like(vb)
    dhb = np.zeros_like(hb)
    rate, momentum = np.float32(0.05), np.float32(0.5)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(n)
        error = 0.0
        for b in range(n // batch):
            v0 = data[order[b * batch:(b + 1) * batch]]
            ph0 = sigmoid(v0 @ W + hb)
            h0 = (rng.random(ph0.shape, np.float32) < ph0).astype(np.float32)
            pv1 = sigmoid(h0 @ W.T + vb)
            v1 = (rng.random(pv1.shape, np.float32) < pv1).astype(np.float32)
            ph1 = sigmoid(v1 @ W + hb)
            scale = np.float32(1.0 / batch)
            gW = (v0.T @ ph0 - v1.T @ ph1) * scale
            dW *= momentum
            dW += rate * gW
            W += dW
            dvb *= momentum
            dvb += rate * scale * (v0.sum(0) - v1.sum(0))
            vb += dvb
            dhb *= momentum
            dhb += rate * scale * (ph0.sum(0) - ph1.sum(0))
            hb += dhb
            error += float(np.mean((v0 - pv1) ** 2))
        times.append(time.perf_counter() - start)
    print(json.dumps({"epochs": times, "threads": "openblas default"}))


main()
