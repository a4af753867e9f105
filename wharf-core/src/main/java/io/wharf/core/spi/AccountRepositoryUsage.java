package io.wharf.core.spi;

/** A repository's usage with its account (a listing across accounts, where names may repeat). */
public record AccountRepositoryUsage(String account, RepositoryUsage usage) {
}
