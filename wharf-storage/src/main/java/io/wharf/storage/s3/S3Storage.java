package io.wharf.storage.s3;

import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The S3 blob and upload stores over one client, opened from {@link S3Settings}; close it on shutdown. */
public final class S3Storage implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 128;

    private final S3Client client;
    private final S3Presigner presigner;
    private final S3BlobStore blobs;
    private final S3UploadStore uploads;
    private final S3Domains domains;

    private S3Storage(S3Client client, S3Presigner presigner, S3BlobStore blobs, S3UploadStore uploads, S3Domains domains) {
        this.client = client;
        this.presigner = presigner;
        this.blobs = blobs;
        this.uploads = uploads;
        this.domains = domains;
    }

    /** @param records where uploads are recorded: the shared metadata database ({@code JdbcMetadataStore#s3Uploads}) */
    public static S3Storage open(S3Settings settings, S3UploadRecords records) {
        return open(settings, records, List.of(), Clock.systemUTC());
    }

    /** As {@link #open(S3Settings, S3UploadRecords)}, with interceptors on every request (tests watch them). */
    public static S3Storage open(S3Settings settings, S3UploadRecords records, List<ExecutionInterceptor> interceptors,
                                 Clock clock) {
        AwsCredentialsProvider credentials = credentials(settings);
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(MAX_CONNECTIONS))
                // checksums only where S3 requires them: S3-compatible stores differ in the newer ones
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> interceptors.forEach(c::addExecutionInterceptor));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        S3Client client = builder.build();
        S3Presigner presigner = settings.redirect() ? presigner(settings, credentials) : null;
        S3Objects objects = new S3Objects(client, settings);
        S3BlobStore blobs = new S3BlobStore(objects, settings, presigner);
        DomainStores stores = new DomainStores(objects, settings, presigner, blobs);
        S3UploadStore uploads = new S3UploadStore(objects, stores, records, settings.partSize(), clock);
        return new S3Storage(client, presigner, blobs, uploads, new S3Domains(stores, uploads));
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKeyId() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }

    private static S3Presigner presigner(S3Settings settings, AwsCredentialsProvider credentials) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    public S3BlobStore blobs() {
        return blobs;
    }

    public S3UploadStore uploads() {
        return uploads;
    }

    /** The repositories' encryption domains: KMS repositories' objects written with their own keys. */
    public S3Domains domains() {
        return domains;
    }

    @Override
    public void close() {
        if (presigner != null) {
            presigner.close();
        }
        client.close();
    }
}
