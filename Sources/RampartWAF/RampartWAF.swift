/// RampartWAF: the in-app WAF engine — rules, addresses, operators, transformers and injection detectors.
public enum RampartWAFModule {}
