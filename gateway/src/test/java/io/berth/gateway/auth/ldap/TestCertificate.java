package io.berth.gateway.auth.ldap;

import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.cert.ManageCertificates;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A self-signed server certificate made for a test with the SDK's own certificate tool, for one
 * DNS name, in a PKCS #12 key store, and exported as the PEM file a site gives as its CA. (The
 * SDK's host name check takes any loopback IP address as the host it means, so the checks that
 * must fail connect by a name that is not the certificate's.)
 */
record TestCertificate(Path keyStore, String pin, Path pem) {
    static TestCertificate create(Path folder, String host) {
        Path keyStore = folder.resolve(host + ".p12");
        Path pem = folder.resolve(host + "-ca.pem");
        String pin = "Test-Key-Store-1";
        run("generate-self-signed-certificate", "--keystore", keyStore.toString(), "--keystore-password", pin,
                "--keystore-type", "PKCS12", "--alias", "server-cert", "--subject-dn", "CN=" + host,
                "--subject-alternative-name-dns", host, "--days-valid", "2", "--key-algorithm", "RSA",
                "--key-size-bits", "2048", "--signature-algorithm", "SHA256withRSA");
        run("export-certificate", "--keystore", keyStore.toString(), "--keystore-password", pin, "--alias",
                "server-cert", "--output-format", "PEM", "--output-file", pem.toString());
        return new TestCertificate(keyStore, pin, pem);
    }

    private static void run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode result = ManageCertificates.main(null, out, out, args);
        if (result != ResultCode.SUCCESS) {
            throw new IllegalStateException(args[0] + " failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }
}
