package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ImageDetail;
import io.wharf.core.service.ImageService;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.spi.ScanIndex.ScanRecord;
import io.wharf.core.spi.ScanIndex.Status;
import io.wharf.core.spi.TagStatus;
import io.wharf.scan.service.ScanCodec.PlatformFinding;
import io.wharf.scan.service.ScanService;
import io.wharf.scan.service.ScanningConfiguration;
import io.wharf.server.ecr.EcrOperation.Scope;
import io.wharf.server.ecr.Shapes.ImageIdShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** StartImageScan, DescribeImageScanFindings, BatchGetRepositoryScanningConfiguration. */
final class ScanOperations {
    private final ScanService scans;
    private final ImageService images;

    ScanOperations(ScanService scans, ImageService images) {
        this.scans = scans;
        this.images = images;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                repository("StartImageScan", StartImageScanRequest.class, this::start),
                repository("DescribeImageScanFindings", DescribeImageScanFindingsRequest.class, this::describe),
                new EcrOperation<>("BatchGetRepositoryScanningConfiguration", BatchGetRepositoryScanningConfigurationRequest.class,
                        Scope.REPOSITORIES, this::batchGetConfiguration));
    }

    record ImageScanStatusShape(String status, String description) {
    }

    record FindingsSummaryShape(Instant imageScanCompletedAt, Instant vulnerabilitySourceUpdatedAt,
                                Map<String, Integer> findingSeverityCounts) {
    }

    /** ECR's status: Wharf's PENDING is IN_PROGRESS for basic scanning (ECR has no queue there) and PENDING for enhanced. */
    static ImageScanStatusShape status(ScanRecord scan) {
        Status s = scan.status();
        boolean basic = ScanningConfiguration.BASIC.equals(scan.scanType());
        String name = s == Status.PENDING && basic ? Status.IN_PROGRESS.name() : s.name();
        return new ImageScanStatusShape(name, s.open() ? null : scan.description());
    }

    /** The summary DescribeImages shows: once a scan finished. */
    static FindingsSummaryShape summary(ScanRecord scan) {
        if (scan.completedAt() == null || scan.status() == Status.FAILED || scan.status() == Status.UNSUPPORTED_IMAGE) {
            return null;
        }
        return new FindingsSummaryShape(scan.completedAt(), scan.sourceUpdatedAt(), scan.severityCounts());
    }

    // ---- StartImageScan

    record StartImageScanRequest(String registryId, String repositoryName, ImageIdShape imageId) implements EcrRequest.Repo {
    }

    record StartImageScanResponse(String registryId, String repositoryName, ImageIdShape imageId,
                                  ImageScanStatusShape imageScanStatus) {
    }

    private StartImageScanResponse start(EcrCall call, StartImageScanRequest req) {
        ImageDetail image = image(call, req.imageId());
        Digest digest = image.image().manifest().digest();
        ScanRecord scan = scans.startScan(call.repo(), digest);
        return new StartImageScanResponse(call.account(), call.repo().name().value(), idOf(req.imageId(), digest),
                status(scan));
    }

    private ImageDetail image(EcrCall call, ImageIdShape id) {
        Check.required("imageId", id);
        return images.describe(call.repo(), List.of(ImageIds.strict(id)), TagStatus.ANY).getFirst();
    }

    private static ImageIdShape idOf(ImageIdShape asked, Digest digest) {
        return new ImageIdShape(digest.toString(), asked.imageTag());
    }

    // ---- DescribeImageScanFindings

    record DescribeImageScanFindingsRequest(String registryId, String repositoryName, ImageIdShape imageId,
                                            String nextToken, Integer maxResults) implements EcrRequest.Repo {
    }

    record ImageScanFindingsShape(Instant imageScanCompletedAt, Instant vulnerabilitySourceUpdatedAt,
                                  Map<String, Integer> findingSeverityCounts, List<ScanFindingShapes.BasicFinding> findings,
                                  List<Map<String, Object>> enhancedFindings) {
    }

    record DescribeImageScanFindingsResponse(String registryId, String repositoryName, ImageIdShape imageId,
                                             ImageScanStatusShape imageScanStatus, ImageScanFindingsShape imageScanFindings,
                                             String nextToken) {
    }

    private DescribeImageScanFindingsResponse describe(EcrCall call, DescribeImageScanFindingsRequest req) {
        int size = Check.maxResults(req.maxResults(), 1000);
        ImageDetail image = image(call, req.imageId());
        Digest digest = image.image().manifest().digest();
        ScanRecord scan = scans.scan(call.repo(), digest);
        String scope = PageToken.scope("DescribeImageScanFindings", call.account(), call.repo().name().value(), digest,
                scan.version());
        int from = offset(PageToken.decode(scope, req.nextToken()));
        ImageScanFindingsShape findings = null;
        String next = null;
        if (scan.completedAt() != null) {
            List<PlatformFinding> all = scans.findings(scan);
            List<PlatformFinding> page = all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()));
            next = from + size < all.size() ? PageToken.encode(scope, String.valueOf(from + size)) : null;
            findings = findings(call, scan, image, page);
        }
        return new DescribeImageScanFindingsResponse(call.account(), call.repo().name().value(), idOf(req.imageId(), digest),
                status(scan), findings, next);
    }

    private static int offset(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(cursor));
        } catch (NumberFormatException e) {
            throw EcrProblem.constraint("nextToken", "Invalid pagination token");
        }
    }

    private static ImageScanFindingsShape findings(EcrCall call, ScanRecord scan, ImageDetail image, List<PlatformFinding> page) {
        Map<String, Integer> counts = scan.severityCounts().isEmpty() ? null : scan.severityCounts();
        if (ScanningConfiguration.ENHANCED.equals(scan.scanType())) {
            List<String> tags = image.image().tags().stream().map(Tag::value).toList();
            var context = new ScanFindingShapes.ImageContext(scan, tags, image.image().manifest().pushedAt(), call.region());
            return new ImageScanFindingsShape(scan.completedAt(), scan.sourceUpdatedAt(), counts, null,
                    page.stream().map(f -> ScanFindingShapes.enhanced(f, context)).toList());
        }
        return new ImageScanFindingsShape(scan.completedAt(), scan.sourceUpdatedAt(), counts,
                page.stream().map(ScanFindingShapes::basic).toList(), null);
    }

    // ---- BatchGetRepositoryScanningConfiguration

    record BatchGetRepositoryScanningConfigurationRequest(List<String> repositoryNames) implements EcrOperation.Repos {
    }

    record FilterShape(String filter, String filterType) {
    }

    record RepositoryScanningConfigurationShape(String repositoryArn, String repositoryName, Boolean scanOnPush,
                                                String scanFrequency, List<FilterShape> appliedScanFilters) {
    }

    record FailureShape(String repositoryName, String failureCode, String failureReason) {
    }

    record BatchGetRepositoryScanningConfigurationResponse(List<RepositoryScanningConfigurationShape> scanningConfigurations,
                                                           List<FailureShape> failures) {
    }

    private BatchGetRepositoryScanningConfigurationResponse batchGetConfiguration(
            EcrCall call, BatchGetRepositoryScanningConfigurationRequest req) {
        List<String> names = Check.size("repositoryNames", Check.required("repositoryNames", req.repositoryNames()), 1, 25);
        List<RepositoryScanningConfigurationShape> found = new ArrayList<>();
        List<FailureShape> failures = new ArrayList<>();
        for (String text : names) {
            RepositoryName name = Check.repositoryName("repositoryNames", text);
            ScanningConfiguration.Effective e;
            try {
                e = scans.effective(call.key(name));
            } catch (NameUnknownException missing) {
                failures.add(new FailureShape(text, "REPOSITORY_NOT_FOUND", "REPOSITORY_NOT_FOUND"));
                continue;
            }
            found.add(new RepositoryScanningConfigurationShape(call.repositoryArn(name), text, e.scanOnPush(),
                    e.scanFrequency(), e.appliedScanFilters().stream().map(f -> new FilterShape(f.filter(), f.filterType())).toList()));
        }
        return new BatchGetRepositoryScanningConfigurationResponse(found, failures);
    }
}
