package io.wharf.server.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by the AWS SDK for Java v2's own SigV4 signer, the reference the verifier must agree with. */
final class SdkSigner {
    /** A request as the server receives it. */
    record Signed(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    }

    private SdkSigner() {
    }

    static Signed sign(String method, String url, Map<String, String> headers, byte[] body, String keyId,
                       String secret, String region, Instant at, Duration presignedFor) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(url));
        headers.forEach(request::putHeader);
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest.builder(AwsCredentialsIdentity.create(keyId, secret))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecr")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
        if (presignedFor != null) {
            sign.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignedFor);
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(sign.build()).request();
        URI uri = signed.getUri();
        return new Signed(method, uri.getRawPath(), uri.getRawQuery(), signed.headers(), body);
    }
}
