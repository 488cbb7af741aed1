import Testing
@testable import RampartWAF
