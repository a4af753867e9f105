package io.wharf.core.service;

import io.wharf.core.spi.ImageRecord;

/**
 * An image as DescribeImages reports it.
 *
 * @param sizeInBytes       config plus layers as stored (compressed); for an index, its largest child
 * @param artifactMediaType the config's media type, null for an index
 */
public record ImageDetail(ImageRecord image, long sizeInBytes, String artifactMediaType) {
}
