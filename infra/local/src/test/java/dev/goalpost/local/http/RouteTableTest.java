package dev.goalpost.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private final RouteTable table = new RouteTable(List.of(
      HttpRoute.of("ANY", "/{proxy+}", "catchAll", null),
      HttpRoute.of("GET", "/groups/{groupId}", "getGroup", "jwt"),
      HttpRoute.of("GET", "/groups/mine", "mine", "jwt"),
      HttpRoute.of("ANY", "/groups/{groupId}/members/{userId}", "anyMember", "jwt"),
      HttpRoute.of("PUT", "/groups/{groupId}/members/{userId}", "putMember", "jwt"),
      HttpRoute.of("GET", "/files/{proxy+}", "files", null)));

  private String target(String method, String path) {
    return table.match(method, path).map(m -> m.route().functionId()).orElse("none");
  }

  @Test
  void literalSegmentBeatsParameter() {
    assertThat(target("GET", "/groups/mine")).isEqualTo("mine");
    assertThat(target("GET", "/groups/g1")).isEqualTo("getGroup");
  }

  @Test
  void explicitMethodBeatsAny() {
    assertThat(target("PUT", "/groups/g1/members/u1")).isEqualTo("putMember");
    assertThat(target("DELETE", "/groups/g1/members/u1")).isEqualTo("anyMember");
  }

  @Test
  void greedyProxyTakesTheRestOnlyWhenNothingMoreSpecificMatches() {
    assertThat(target("GET", "/files/a/b/c")).isEqualTo("files");
    assertThat(target("POST", "/groups/g1")).isEqualTo("catchAll");
    assertThat(table.match("GET", "/files/a/b%20c").orElseThrow().pathParameters()).isEqualTo(Map.of("proxy", "a/b c"));
  }

  @Test
  void greedyNeedsAtLeastOneSegment() {
    RouteTable onlyFiles = new RouteTable(List.of(HttpRoute.of("GET", "/files/{proxy+}", "files", null)));

    assertThat(onlyFiles.match("GET", "/files/")).isEmpty();
    assertThat(onlyFiles.match("GET", "/files")).isEmpty();
  }

  @Test
  void pathParametersAreDecodedAndAbsentWhenNone() {
    RouteTable t = new RouteTable(List.of(
        HttpRoute.of("GET", "/a/{id}", "a", null),
        HttpRoute.of("GET", "/plain", "p", null)));

    assertThat(t.match("GET", "/a/x%2Fy+z").orElseThrow().pathParameters()).isEqualTo(Map.of("id", "x/y+z"));
    assertThat(t.match("GET", "/plain").orElseThrow().pathParameters()).isNull();
    assertThat(t.match("GET", "/a/")).isEmpty();
    assertThat(t.match("GET", "/a/1/2")).isEmpty();
  }

  @Test
  void routeKeyIsMethodAndTemplatePath() {
    assertThat(table.match("PUT", "/groups/g/members/u").orElseThrow().route().routeKey())
        .isEqualTo("PUT /groups/{groupId}/members/{userId}");
  }

  @Test
  void defaultRouteCatchesWhatNothingElseMatches() {
    RouteTable t = new RouteTable(List.of(HttpRoute.of("ANY", "$default", "fallback", null),
        HttpRoute.of("GET", "/x", "x", null)));

    assertThat(t.match("GET", "/x").orElseThrow().route().functionId()).isEqualTo("x");
    assertThat(t.match("POST", "/anything/else").orElseThrow().route().routeKey()).isEqualTo("$default");
  }
}
