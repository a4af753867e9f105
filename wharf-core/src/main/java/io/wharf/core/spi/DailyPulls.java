package io.wharf.core.spi;

import java.time.LocalDate;

/** Pulls (successful manifest GETs) and bytes pulled (blob GETs) on one UTC day. */
public record DailyPulls(LocalDate day, long pulls, long bytes) {
}
