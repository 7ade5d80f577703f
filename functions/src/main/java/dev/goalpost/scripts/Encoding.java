package dev.goalpost.scripts;

/**
 * How an SMS is encoded on the wire (3GPP TS 23.038), with the payload of one part. A message that fits in one
 * part uses all 140 octets; a split message gives 6 octets of every part to the concatenation header (UDH), which
 * is why the per-part size drops when a message is split.
 */
public enum Encoding {
  /** 7-bit default alphabet: 160 septets alone, 153 per part when split. */
  GSM7(160, 153),
  /** UCS-2 (UTF-16 code units): 70 alone, 67 per part when split. */
  UCS2(70, 67);

  private final int singlePart;
  private final int perPartWhenSplit;

  Encoding(int singlePart, int perPartWhenSplit) {
    this.singlePart = singlePart;
    this.perPartWhenSplit = perPartWhenSplit;
  }

  /** Units (septets or code units) a message may use and still be sent as one part. */
  public int singlePart() {
    return singlePart;
  }

  /** Units each part carries once a message is split. */
  public int perPartWhenSplit() {
    return perPartWhenSplit;
  }
}
