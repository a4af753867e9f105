package io.wharf.core.pullthrough;

import io.wharf.core.error.ConfigurationInvalidException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECR's upstream registry names and how a rule's {@code upstreamRegistryUrl} becomes an endpoint. Wharf takes any
 * registry URL (ECR only the listed hosts); the name is derived from a known host and is {@value #GENERIC} otherwise.
 */
public final class Upstreams {
    /** Wharf's name for an upstream that is none of ECR's: any OCI Distribution registry (Basic or Bearer auth). */
    public static final String GENERIC = "oci";
    /** ECR, or another Wharf: the rule's secret holds AWS keys ({@code username} = key id, {@code accessToken} = secret). */
    public static final String ECR = "ecr";
    static final Set<String> NAMES = Set.of("ecr-public", "k8s", "quay", "docker-hub", "github-container-registry",
            "azure-container-registry", "gitlab-container-registry", "chainguard", ECR, GENERIC);
    private static final Pattern ECR_HOST = Pattern.compile("[0-9]{12}\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    private Upstreams() {
    }

    /** {@code http(s)://host[:port]} of a URL given with or without its scheme (https when none); no path, no user. */
    public static URI endpoint(String url) {
        String text = url.contains("://") ? url : "https://" + url;
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (!web || uri.getHost() == null || uri.getUserInfo() != null || !uri.getRawPath().isEmpty()
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw invalidUrl(url);
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw invalidUrl(url);
        }
    }

    /** ECR's name for a known host, else {@value #GENERIC}. */
    public static String derive(URI endpoint) {
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        return switch (host) {
            case "public.ecr.aws" -> "ecr-public";
            case "registry.k8s.io" -> "k8s";
            case "quay.io" -> "quay";
            case "registry-1.docker.io", "docker.io" -> "docker-hub";
            case "ghcr.io" -> "github-container-registry";
            case "registry.gitlab.com" -> "gitlab-container-registry";
            case "cgr.dev" -> "chainguard";
            default -> host.endsWith(".azurecr.io") ? "azure-container-registry"
                    : ECR_HOST.matcher(host).matches() ? ECR : GENERIC;
        };
    }

    /** The region an ECR host names ({@code <account>.dkr.ecr.<region>.amazonaws.com}), if it is one. */
    public static Optional<String> ecrRegion(URI endpoint) {
        Matcher m = ECR_HOST.matcher(endpoint.getHost().toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static ConfigurationInvalidException invalidUrl(String url) {
        return new ConfigurationInvalidException("Invalid parameter at 'upstreamRegistryUrl' failed to satisfy "
                + "constraint: 'must be a registry host[:port], optionally with an http:// or https:// scheme and no path'", url);
    }
}
