package dev.goalpost.contacts;

import java.util.List;

/** The answer to a bulk upsert: counts and one outcome per row, in request order. */
public record ImportResult(int created, int updated, int duplicates, int invalid, int failed, List<ImportRow> rows) {

  static ImportResult of(List<ImportRow> rows) {
    int[] counts = new int[ImportRow.Status.values().length];
    rows.forEach(r -> counts[r.status().ordinal()]++);
    return new ImportResult(counts[0], counts[1], counts[2], counts[3], counts[4], rows);
  }
}
