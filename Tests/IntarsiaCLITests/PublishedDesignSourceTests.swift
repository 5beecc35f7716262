import Foundation
import Testing
import IntarsiaFPGA
@testable import IntarsiaDriver

/// Every knob a published design sets is read from its HLS: for each design, the knobs it sets
/// (template, lanes, every knob away from `DesignPoint`'s default, a hand-written schedule) each
/// have a source naming an InTAR file and line (`PublishedDesign.knobSources`).
@Suite struct PublishedDesignSourceTests {
    func knobsSet(by d: PublishedDesign) -> [String] {
        let base = DesignPoint(template: d.point.template, lanes: d.point.lanes)
        var set = ["template", "lanes"]
        for k in Knob.knobs(of: d.point.template) + Knob.asBuilt where k != .lanes && d.point.value(of: k) != base.value(of: k) {
            set.append(k.rawValue)
        }
        if d.schedule != nil { set.append("schedule") }
        return set
    }

    @Test func everyKnobADesignSetsHasAnHLSSource() {
        for d in PublishedDesign.all {
            let sources = PublishedDesign.knobSources[d.name] ?? [:]
            for k in knobsSet(by: d) {
                let s = sources[k] ?? ""
                #expect(s.range(of: #"^benchmark/\S+\.cpp:\d+"#, options: .regularExpression) != nil,
                        "\(d.name): knob \(k) = \(k == "schedule" ? "given" : k == "template" ? d.point.template.rawValue : "set") has no HLS file:line source")
            }
        }
    }

    @Test func sourcesNameOnlyPublishedDesignsAndKnobs() {
        let names = Set(PublishedDesign.all.map(\.name))
        let keys = Set(Knob.allCases.map(\.rawValue) + ["template", "schedule"])
        for (design, sources) in PublishedDesign.knobSources {
            #expect(names.contains(design), "knobSources names \(design), which is not a published design")
            for k in sources.keys { #expect(keys.contains(k), "\(design): \(k) is not a knob") }
        }
        #expect(PublishedDesign.knobSources.count == PublishedDesign.all.count)
    }

    /// The write round trip brings CNN-4L sequential in: 31,360 written 256-bit packets (224² +
    /// 448² + 448² + 224² int16 over 16 per packet, cnn-4L-sequential-kernel.cpp) at 64 cycles
    /// each are 2,007,040 of the measured 2,215,282 cycles.
    @Test func cnnSequentialWaitsForEachPacket() throws {
        let d = PublishedDesign.all.first { $0.name == "CNN-4L, sequential" }!
        var without = d
        without.point.writeWait = false
        let waits = try d.check().modelCycles - without.check().modelCycles
        #expect(waits == Double(224 * 224 + 448 * 448 + 448 * 448 + 224 * 224) / 16 * 64)
        #expect(abs(try d.check().relativeError) <= 0.10)
    }
}
