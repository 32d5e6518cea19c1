import { describe, expect, it } from "vitest";
import { parseAmount, parseCurrency, parseMoney, parseQuantity } from "../../src/cases/amounts.js";
import { validCoordinates } from "../../src/cases/coordinates.js";
import { addDays, localDate, parseIncidentDate } from "../../src/cases/dates.js";
import { checkVin, isValidImei, parseIdentifier } from "../../src/cases/identifiers.js";
import { generateCaseRef, normalizeCaseRef, REFERENCE_ALPHABET } from "../../src/cases/reference.js";
import { isRegionCode, matchRegion, type RegionCode, regions } from "../../src/cases/regions.js";
import { cleanText, MAX_NARRATIVE_LENGTH } from "../../src/cases/text.js";

// Noon in Kyiv on 15 June 2024.
const now = new Date("2024-06-15T09:00:00Z");

describe("incident dates", () => {
  it.each([
    ["24.02.2022", "2022-02-24", "day"],
    ["1.3.2022", "2022-03-01", "day"],
    ["24/02/2022", "2022-02-24", "day"],
    ["2022-02-24", "2022-02-24", "day"],
    [" 03.2022 ", "2022-03-01", "month"],
    ["3/2022", "2022-03-01", "month"],
    ["today", "2024-06-15", "day"],
    ["Сьогодні", "2024-06-15", "day"],
    ["вчора", "2024-06-14", "day"],
    ["Yesterday.", "2024-06-14", "day"],
    ["20.02.2014", "2014-02-20", "day"],
    ["02.2014", "2014-02-01", "month"],
    ["06.2024", "2024-06-01", "month"],
  ])("reads %s", (input, date, precision) => {
    expect(parseIncidentDate(input, now)).toEqual({ ok: true, value: { date, precision } });
  });

  it.each(["не знаю", "I don't know", "unknown", "Не знаю."])("reads %s as unknown", (input) => {
    expect(parseIncidentDate(input, now)).toEqual({ ok: true, value: { date: null, precision: "unknown" } });
  });

  it.each([
    ["31.02.2022", "no_such_date"],
    ["29.02.2023", "no_such_date"],
    ["13.2022", "no_such_date"],
    ["16.06.2024", "future"],
    ["07.2024", "future"],
    ["19.02.2014", "too_early"],
    ["01.2014", "too_early"],
    ["2013-12-31", "too_early"],
    ["last spring", "format"],
    ["24.02.22", "format"],
    ["", "format"],
  ])("refuses %s as %s", (input, problem) => {
    expect(parseIncidentDate(input, now)).toEqual({ ok: false, problem });
  });

  it("counts a leap day as a date", () => {
    expect(parseIncidentDate("29.02.2024", now)).toMatchObject({ ok: true, value: { date: "2024-02-29" } });
  });

  it("takes today in Kyiv, not on the server", () => {
    // 22:30 UTC on 14 June is already 15 June in Kyiv (UTC+3 in summer).
    const lateEvening = new Date("2024-06-14T22:30:00Z");
    expect(localDate(lateEvening)).toBe("2024-06-15");
    expect(parseIncidentDate("15.06.2024", lateEvening)).toMatchObject({ ok: true });
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });
});

describe("coordinates", () => {
  it("accepts the whole range and refuses anything outside it", () => {
    expect(validCoordinates(50.45, 30.52)).toEqual({ latitude: 50.45, longitude: 30.52 });
    expect(validCoordinates(-90, 180)).toEqual({ latitude: -90, longitude: 180 });
    expect(validCoordinates(90.0001, 30)).toBeUndefined();
    expect(validCoordinates(45, -180.5)).toBeUndefined();
    expect(validCoordinates(Number.NaN, 30)).toBeUndefined();
    expect(validCoordinates("50", 30)).toBeUndefined();
  });
});

describe("IMEI and VIN", () => {
  it("checks the IMEI's Luhn digit", () => {
    expect(isValidImei("490154203237518")).toBe(true);
    expect(isValidImei("356938035643809")).toBe(true);
    expect(isValidImei("490154203237517")).toBe(false);
    expect(isValidImei("49015420323751")).toBe(false);
  });

  it("checks the VIN's check digit and letters", () => {
    expect(checkVin("1M8GDM9AXKP042788")).toBeUndefined();
    expect(checkVin("11111111111111111")).toBeUndefined();
    expect(checkVin("1M8GDM9A1KP042788")).toBe("check_digit");
    expect(checkVin("1M8GDM9AXKP04278O")).toBe("forbidden_letters");
  });

  it("reads an IMEI for electronics and warns on a bad check digit instead of refusing", () => {
    expect(parseIdentifier("35 693803 564380 9", "electronics")).toEqual({
      ok: true,
      value: { identifier: "356938035643809", kind: "imei", valid: true },
    });
    expect(parseIdentifier("356938035643808", "electronics")).toEqual({
      ok: true,
      value: { identifier: "356938035643808", kind: "imei", valid: false, problem: "imei_check_digit" },
    });
  });

  it("reads a VIN for vehicles, and a declared kind anywhere", () => {
    expect(parseIdentifier("1m8gdm9axkp042788", "vehicle")).toMatchObject({ ok: true, value: { kind: "vin", valid: true } });
    expect(parseIdentifier("WVWZZZ1JZXW000001", "vehicle")).toMatchObject({
      ok: true,
      value: { kind: "vin", valid: false, problem: "vin_check_digit" },
    });
    expect(parseIdentifier("VIN: 1M8GDM9AXKP04278Q", "other")).toMatchObject({
      ok: true,
      value: { kind: "vin", valid: false, problem: "vin_forbidden_letters" },
    });
    expect(parseIdentifier("IMEI 490154203237518", "jewellery")).toMatchObject({ ok: true, value: { kind: "imei", valid: true } });
  });

  it("keeps anything else as a serial number", () => {
    expect(parseIdentifier("SN-4471-AB", "appliances")).toEqual({
      ok: true,
      value: { identifier: "SN-4471-AB", kind: "serial", valid: true },
    });
    expect(parseIdentifier("356938035643809", "appliances")).toMatchObject({ value: { kind: "serial" } });
    expect(parseIdentifier("   ", "other")).toEqual({ ok: false, problem: "empty" });
    expect(parseIdentifier("x".repeat(101), "other")).toEqual({ ok: false, problem: "too_long" });
  });
});

describe("quantities and values", () => {
  it.each([
    ["1", 1],
    ["3 шт", 3],
    ["x2", 2],
    ["12 pcs", 12],
  ])("reads quantity %s", (input, value) => {
    expect(parseQuantity(input)).toEqual({ ok: true, value });
  });

  it("refuses quantities that are not whole positive numbers", () => {
    expect(parseQuantity("0")).toEqual({ ok: false, problem: "range" });
    expect(parseQuantity("2000000")).toEqual({ ok: false, problem: "range" });
    expect(parseQuantity("two")).toEqual({ ok: false, problem: "format" });
    expect(parseQuantity("1.5")).toEqual({ ok: false, problem: "format" });
  });

  it.each([
    ["15000 грн", "15000.00", "UAH"],
    ["15 000 UAH", "15000.00", "UAH"],
    ["$200", "200.00", "USD"],
    ["1 500,50 EUR", "1500.50", "EUR"],
    ["1,500.5 usd", "1500.50", "USD"],
    ["300 доларів", "300.00", "USD"],
    ["250 євро", "250.00", "EUR"],
    ["12,5", "12.50", null],
    ["7000", "7000.00", null],
  ])("reads value %s", (input, amount, currency) => {
    expect(parseMoney(input)).toEqual({ ok: true, value: { amount, currency } });
  });

  it("refuses values it cannot read exactly", () => {
    expect(parseMoney("a lot")).toEqual({ ok: false, problem: "format" });
    expect(parseMoney("100 рублів")).toEqual({ ok: false, problem: "currency" });
    expect(parseMoney("1234567890123 UAH")).toEqual({ ok: false, problem: "too_large" });
    expect(parseAmount("1,23,4")).toEqual({ ok: false, problem: "format" });
    expect(parseCurrency("гривень")).toBe("UAH");
    expect(parseCurrency("yen")).toBeUndefined();
  });
});

describe("text answers", () => {
  it("trims, drops control characters and counts characters, not bytes", () => {
    expect(cleanText("  Київ\u0000, вул. Хрещатик\r\n1  ", 100)).toEqual({ ok: true, value: "Київ, вул. Хрещатик\n1" });
    expect(cleanText("\n \t", 100)).toEqual({ ok: false, problem: "empty", length: 0 });
    expect(cleanText("ї".repeat(MAX_NARRATIVE_LENGTH), MAX_NARRATIVE_LENGTH)).toMatchObject({ ok: true });
    expect(cleanText("ї".repeat(MAX_NARRATIVE_LENGTH + 1), MAX_NARRATIVE_LENGTH)).toEqual({
      ok: false,
      problem: "too_long",
      length: MAX_NARRATIVE_LENGTH + 1,
    });
  });
});

describe("regions", () => {
  const names = new Map<RegionCode, string[]>([
    ["kyiv", ["м. Київ", "Kyiv city"]],
    ["kyivska", ["Київська область", "Kyiv oblast"]],
    ["kharkivska", ["Харківська область", "Kharkiv oblast"]],
    ["crimea", ["АР Крим", "Crimea"]],
    ["not_in_ukraine", ["🌍 Не в Україні", "🌍 Not in Ukraine"]],
  ]);

  it("has the 24 oblasts, Kyiv, Sevastopol, Crimea and abroad, each once", () => {
    expect(regions).toHaveLength(28);
    expect(new Set(regions.map((r) => r.code)).size).toBe(28);
    expect(regions.filter((r) => r.iso === null).map((r) => r.code)).toEqual(["not_in_ukraine"]);
    expect(isRegionCode("kharkivska")).toBe(true);
    expect(isRegionCode("moscow")).toBe(false);
  });

  it("matches typed names in either language and refuses to guess", () => {
    expect(matchRegion("Харків", names)).toBe("kharkivska");
    expect(matchRegion("харківська обл.", names)).toBe("kharkivska");
    expect(matchRegion("Київ", names)).toBe("kyiv");
    expect(matchRegion("Київська", names)).toBe("kyivska");
    expect(matchRegion("kyiv oblast", names)).toBe("kyivska");
    expect(matchRegion("Kyiv", names)).toBeUndefined();
    expect(matchRegion("крим", names)).toBe("crimea");
    expect(matchRegion("not in ukraine", names)).toBe("not_in_ukraine");
    expect(matchRegion("Ки", names)).toBeUndefined();
    expect(matchRegion("Moscow", names)).toBeUndefined();
  });
});

describe("case references", () => {
  it("are SV-XXXX-XXXX in the unambiguous alphabet, and random", () => {
    const refs = new Set(Array.from({ length: 2000 }, () => generateCaseRef()));
    expect(refs.size).toBe(2000);
    for (const ref of refs) expect(ref).toMatch(/^SV-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(REFERENCE_ALPHABET).not.toMatch(/[01IO]/);
  });

  it("uses every byte value without bias", () => {
    const ref = generateCaseRef(() => Buffer.from([0, 31, 32, 63, 255, 1, 2, 3]));
    expect(ref).toBe(`SV-${REFERENCE_ALPHABET[0]}${REFERENCE_ALPHABET[31]}${REFERENCE_ALPHABET[0]}${REFERENCE_ALPHABET[31]}-${REFERENCE_ALPHABET[31]}${REFERENCE_ALPHABET[1]}${REFERENCE_ALPHABET[2]}${REFERENCE_ALPHABET[3]}`);
  });

  it("normalises what people type", () => {
    expect(normalizeCaseRef("sv-7k3f-9qxm")).toBe("SV-7K3F-9QXM");
    expect(normalizeCaseRef("SV 7K3F 9QXM")).toBe("SV-7K3F-9QXM");
    expect(normalizeCaseRef("7K3F9QXM")).toBe("SV-7K3F-9QXM");
    expect(normalizeCaseRef("SV-7K3F-9QX0")).toBeUndefined();
    expect(normalizeCaseRef("SV-7K3F")).toBeUndefined();
  });
});
