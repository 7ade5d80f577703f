package dev.goalpost.scripts;

/**
 * What a text costs to send: its encoding, its length in that encoding's units (septets for GSM-7, UTF-16 code
 * units for UCS-2) and the number of parts (segments) carriers bill.
 */
public record SegmentCount(Encoding encoding, int units, int segments) {}
