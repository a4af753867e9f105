package io.wharf.core.spi;

/** Which images a listing returns: those with at least one tag, those with none, or all. */
public enum TagStatus { TAGGED, UNTAGGED, ANY }
