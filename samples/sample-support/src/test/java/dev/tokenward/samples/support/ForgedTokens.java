package dev.tokenward.samples.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;

/** Tokens no honest issuer would send: tampered, unsigned, signed with a made-up secret. */
public final class ForgedTokens {
  private ForgedTokens() {}

  /** {@code token} with {@code claim} set to {@code value} in the payload and the original signature kept. */
  public static String tampered(String token, String claim, Object value) {
    String[] parts = token.split("\\.");
    try {
      Map<String, Object> payload = JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(parts[1]),
          StandardCharsets.UTF_8));
      payload.put(claim, value);
      return parts[0] + "." + b64(JSONObjectUtils.toJSONString(payload)) + "." + parts[2];
    } catch (ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The claims of {@code token} (a JWT) under {@code alg: none}, without a signature. */
  public static String unsigned(String token) {
    String[] parts = token.split("\\.");
    return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
  }

  /** The claims of {@code token} re-signed with HS256 and a secret the API never agreed to. */
  public static String hs256WithMadeUpSecret(String token) {
    try {
      SignedJWT original = SignedJWT.parse(token);
      SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), JWTClaimsSet.parse(
          original.getJWTClaimsSet().toJSONObject()));
      forged.sign(new MACSigner("an attacker's secret, 32 bytes or more!!".getBytes(StandardCharsets.UTF_8)));
      return forged.serialize();
    } catch (ParseException | JOSEException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The payload claims of a JWT (unverified), for comparing with a sample's answer. */
  public static Map<String, Object> claims(String token) {
    try {
      return JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
          StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
