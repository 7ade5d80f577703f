package dev.goalpost.contacts;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.goalpost.platform.http.FieldError;
import java.util.List;

/** The outcome of one row of a bulk upsert, reported at the row's index. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportRow(int index, Status status, String phone, String contactId, Integer duplicateOf,
                        List<FieldError> errors) {

  public enum Status {
    /** A new contact was stored. */
    created,
    /** The group already had this phone; the row's fields were merged into it. */
    updated,
    /** An earlier row of the same request has the same phone; this row was not applied. */
    duplicate,
    /** The row breaks a rule; nothing was stored for it. See {@code errors}. */
    invalid,
    /** Storing failed after retries (e.g. throttling); nothing was stored; resend this row. */
    failed
  }
}
