package io.wharf.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation's request-rate quota: a sustained rate per second and a burst (the size of its token bucket).
 *
 * @param perSecond tokens added per second, more than 0
 * @param burst     tokens the bucket holds at most: requests that may arrive at once after a quiet spell, at least 1
 */
public record RateQuota(double perSecond, int burst) {
    private static final Pattern ENTRY =
            Pattern.compile("([A-Z][A-Za-z]{1,63})=([0-9]+(?:\\.[0-9]+)?)(?:/([0-9]{1,9}))?");

    /**
     * ECR's published defaults (per account and region). ECR publishes rates only; the burst is one second's worth,
     * Wharf's choice. Operations not listed are not throttled.
     */
    public static final Map<String, RateQuota> ECR_DEFAULTS = Map.of(
            "BatchCheckLayerAvailability", of(1000),
            "BatchGetImage", of(2000),
            "CompleteLayerUpload", of(100),
            "GetAuthorizationToken", of(500),
            "GetDownloadUrlForLayer", of(3000),
            "InitiateLayerUpload", of(100),
            "PutImage", of(10),
            "UploadLayerPart", of(500));

    public RateQuota {
        if (!(perSecond > 0) || Double.isInfinite(perSecond) || burst < 1) {
            throw new IllegalArgumentException("a rate must be more than 0 per second and a burst at least 1");
        }
    }

    /** {@code perSecond} with a burst of one second's worth (at least 1). */
    public static RateQuota of(double perSecond) {
        return new RateQuota(perSecond, (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(perSecond))));
    }

    /** This quota with rate and burst multiplied by {@code factor} (the burst at least 1). */
    public RateQuota times(double factor) {
        return new RateQuota(perSecond * factor, (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(burst * factor))));
    }

    /**
     * Parses {@code Operation=rate[/burst]} entries separated by commas ({@code PutImage=20,BatchGetImage=500/1000});
     * blank: none. IllegalArgumentException names the entry that does not parse.
     */
    public static Map<String, RateQuota> parseList(String text) {
        Map<String, RateQuota> quotas = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return quotas;
        }
        for (String raw : text.split(",")) {
            String entry = raw.strip();
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not Operation=rate or Operation=rate/burst,"
                        + " e.g. PutImage=20 or BatchGetImage=500/1000");
            }
            double rate = Double.parseDouble(m.group(2));
            if (!(rate > 0)) {
                throw new IllegalArgumentException("'" + entry + "': the rate must be more than 0");
            }
            RateQuota q = m.group(3) == null ? of(rate) : new RateQuota(rate, Math.max(1, Integer.parseInt(m.group(3))));
            if (quotas.put(m.group(1), q) != null) {
                throw new IllegalArgumentException("'" + m.group(1) + "' is listed twice");
            }
        }
        return quotas;
    }
}
