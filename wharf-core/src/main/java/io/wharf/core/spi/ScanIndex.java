package io.wharf.core.spi;

/**
 * Image scans: their state, results and the per-layer analysis cache, kept by the metadata database so any
 * node can run a scan or answer for one.
 */
public interface ScanIndex {
}
