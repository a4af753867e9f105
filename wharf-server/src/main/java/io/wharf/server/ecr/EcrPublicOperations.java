package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;
import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.GalleryService;
import io.wharf.core.spi.Repository;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.RegistryToken;
import io.wharf.server.ecr.EcrOperation.Scope;
import io.wharf.server.ecr.Shapes.TagShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operation table of the ECR Public subset ({@code X-Amz-Target: SpencerFrontendService.<Operation>}, IAM actions
 * {@code ecr-public:<Operation>}): repositories that are public, their catalog data, and registry tokens for this same
 * endpoint. A repository that is not public does not exist here (RepositoryNotFoundException), as in ECR Public.
 */
public final class EcrPublicOperations {
    private final GalleryService gallery;
    private final Auth auth;

    public EcrPublicOperations(GalleryService gallery, Auth auth) {
        this.gallery = gallery;
        this.auth = auth;
    }

    Map<String, EcrOperation<?>> table() {
        Map<String, EcrOperation<?>> table = new LinkedHashMap<>();
        operations().forEach(op -> table.put(op.name(), op));
        return Map.copyOf(table);
    }

    private List<EcrOperation<?>> operations() {
        return List.of(
                repository("CreateRepository", CreateRequest.class, this::create),
                new EcrOperation<>("DescribeRepositories", DescribeRequest.class, Scope.REPOSITORIES, this::describe),
                repository("DeleteRepository", DeleteRequest.class, this::delete),
                repository("GetRepositoryCatalogData", RepoRequest.class, this::getCatalog),
                repository("PutRepositoryCatalogData", PutCatalogRequest.class, this::putCatalog),
                registry("GetAuthorizationToken", NoInput.class, this::token),
                registry("DescribeRegistries", PageRequest.class, this::registries),
                registry("GetRegistryCatalogData", NoInput.class, (call, req) -> new RegistryCatalogResponse(new RegistryCatalog())));
    }

    // ---- shapes

    record CatalogInput(String description, List<String> architectures, List<String> operatingSystems,
                        String logoImageBlob, String aboutText, String usageText) {
    }

    record CatalogShape(String description, List<String> architectures, List<String> operatingSystems, String logoUrl,
                        String aboutText, String usageText, Boolean marketplaceCertified) {
        static CatalogShape of(EcrCall call, RepositoryName name, CatalogData c) {
            String logo = c.logo() == null ? null : call.endpoint() + "/wharf/v1/gallery/logo/" + name.value();
            return new CatalogShape(c.description(), c.architectures(), c.operatingSystems(), logo, c.aboutText(),
                    c.usageText(), false);
        }
    }

    record RepositoryShape(String repositoryArn, String registryId, String repositoryName, String repositoryUri,
                           Instant createdAt) {
        static RepositoryShape of(EcrCall call, Repository r) {
            return new RepositoryShape(call.publicRepositoryArn(r.name()), r.account(), r.name().value(),
                    call.repositoryUri(r.name()), r.createdAt());
        }
    }

    record NoInput() implements EcrRequest {
    }

    record RepoRequest(String registryId, String repositoryName) implements EcrRequest.Repo {
    }

    // ---- repositories

    record CreateRequest(String repositoryName, CatalogInput catalogData, List<TagShape> tags) implements EcrRequest.Repo {
    }

    record CreateResponse(RepositoryShape repository, CatalogShape catalogData) {
    }

    private CreateResponse create(EcrCall call, CreateRequest req) {
        CatalogData catalog = catalog(req.catalogData());
        Repository r = gallery.createPublic(call.repo(), catalog, ResourceTags.parse(req.tags()));
        return new CreateResponse(RepositoryShape.of(call, r), CatalogShape.of(call, r.name(), catalog));
    }

    record DescribeRequest(String registryId, List<String> repositoryNames, String nextToken, Integer maxResults)
            implements EcrOperation.Repos {
    }

    record DescribeResponse(List<RepositoryShape> repositories, String nextToken) {
    }

    private DescribeResponse describe(EcrCall call, DescribeRequest req) {
        Check.noPagingWith("repositoryNames", req.repositoryNames(), req.nextToken(), req.maxResults());
        if (req.repositoryNames() != null) {
            List<RepositoryShape> found = new ArrayList<>();
            for (String n : Check.size("repositoryNames", req.repositoryNames(), 1, 100)) {
                found.add(RepositoryShape.of(call, gallery.requirePublic(call.key(Check.repositoryName("repositoryNames", n)))));
            }
            return new DescribeResponse(found, null);
        }
        GalleryService.Page page = gallery.search(call.account(), null, req.nextToken(), Check.maxResults(req.maxResults(), 1000), 0);
        return new DescribeResponse(page.entries().stream().map(e -> RepositoryShape.of(call, e.repository())).toList(),
                page.nextPageToken());
    }

    record DeleteRequest(String registryId, String repositoryName, Boolean force) implements EcrRequest.Repo {
    }

    record DeleteResponse(RepositoryShape repository) {
    }

    private DeleteResponse delete(EcrCall call, DeleteRequest req) {
        return new DeleteResponse(RepositoryShape.of(call, gallery.deletePublic(call.repo(), Boolean.TRUE.equals(req.force()))));
    }

    // ---- catalog data

    record CatalogResponse(CatalogShape catalogData) {
    }

    private CatalogResponse getCatalog(EcrCall call, RepoRequest req) {
        gallery.requirePublic(call.repo());
        return new CatalogResponse(CatalogShape.of(call, call.repo().name(), gallery.listing(call.repo()).catalog()));
    }

    record PutCatalogRequest(String registryId, String repositoryName, CatalogInput catalogData) implements EcrRequest.Repo {
    }

    private CatalogResponse putCatalog(EcrCall call, PutCatalogRequest req) {
        CatalogData catalog = catalog(Check.required("catalogData", req.catalogData()));
        CatalogData stored = gallery.putPublicCatalogData(call.repo(), catalog).catalog();
        return new CatalogResponse(CatalogShape.of(call, call.repo().name(), stored));
    }

    private static CatalogData catalog(CatalogInput in) {
        if (in == null) {
            return CatalogData.EMPTY;
        }
        CatalogData.Logo logo = null;
        if (in.logoImageBlob() != null) {
            try {
                logo = CatalogData.Logo.of(Base64.getDecoder().decode(in.logoImageBlob()));
            } catch (IllegalArgumentException e) {
                throw EcrProblem.constraint("catalogData.logoImageBlob", "Member must be base64-encoded");
            }
        }
        return CatalogData.of(in.description(), in.aboutText(), in.usageText(), in.architectures(), in.operatingSystems(), logo);
    }

    // ---- registry

    record AuthorizationData(String authorizationToken, Instant expiresAt) {
    }

    record TokenResponse(AuthorizationData authorizationData) {
    }

    /** A registry token for pulls and pushes on this endpoint's {@code /v2/} (Basic {@code AWS:<password>}). */
    private TokenResponse token(EcrCall call, NoInput req) {
        RegistryToken token = auth.issueRegistryToken(call.principal());
        return new TokenResponse(new AuthorizationData(token.authorizationToken(), token.expiresAt()));
    }

    record PageRequest(String nextToken, Integer maxResults) implements EcrRequest {
    }

    record Alias(String name, String status, Boolean primaryRegistryAlias, Boolean defaultRegistryAlias) {
    }

    record RegistryShape(String registryId, String registryArn, String registryUri, Boolean verified, List<Alias> aliases) {
    }

    record RegistriesResponse(List<RegistryShape> registries) {
    }

    /** The caller's one registry: this endpoint, with no aliases (Wharf has no {@code public.ecr.aws/<alias>}). */
    private RegistriesResponse registries(EcrCall call, PageRequest req) {
        Check.maxResults(req.maxResults(), 1000);
        return new RegistriesResponse(List.of(new RegistryShape(call.account(),
                "arn:aws:ecr-public::" + call.account() + ":registry/" + call.account(), call.host(), false, List.of())));
    }

    record RegistryCatalog() {
    }

    record RegistryCatalogResponse(RegistryCatalog registryCatalogData) {
    }
}
