import {describe, expect, it} from 'vitest';
import {formatNumber, generalNumber, isDateFormat, valueText} from '../src/engine/read/xlsx-cell.js';

describe('xlsx cell text: numbers never pass through float printing', () => {
  it.each([
    [15551234567, '15551234567'],
    [447911123456, '447911123456'],
    [123456789012345680000, '123456789012345683968'],
    [0, '0'],
    [-42, '-42'],
    [1234.5, '1234.5'],
    [0.1 + 0.2, '0.3'],
    [1e-7, '0.0000001'],
  ])('General %d → %s', (value, text) => {
    expect(generalNumber(value)).toBe(text);
    expect(valueText(value, undefined, false)).toBe(text);
  });

  it.each([
    [7911123456, '00000000000', '07911123456'],
    [7, '000', '007'],
    [2015550124, '"+1 "0', '+1 2015550124'],
    [447911123456, '\\+0', '+447911123456'],
    [1234.5, '0.00', '1234.50'],
    [1234.5, '#,##0.00', '1,234.50'],
    [1234567, '#,##0', '1,234,567'],
    [0.256, '0%', '26%'],
    [0.256, '0.0%', '25.6%'],
    [-5, '0;(0)', '-5'],
    [1.5, '0.##', '1.5'],
    [2, '0.##', '2'],
    [15551234567, '0.00E+00', '15551234567'],
    [15551234567, 'General', '15551234567'],
    [15551234567, '@', '15551234567'],
    [42, '[Red]0', '42'],
  ])('%d with %j → %s', (value, numFmt, text) => {
    expect(formatNumber(value, numFmt)).toBe(text);
  });

  it.each([
    ['yyyy-mm-dd', true],
    ['m/d/yy', true],
    ['[$-409]mmmm d, yyyy', true],
    ['hh:mm', true],
    ['0.00', false],
    ['"Mobile "0', false],
    ['General', false],
  ])('date format %j: %s', (numFmt, isDate) => {
    expect(isDateFormat(numFmt)).toBe(isDate);
  });
});

describe('xlsx cell text: other kinds', () => {
  it.each([
    [null, ''],
    ['text', 'text'],
    ['line_x000D_\nbreak', 'line\r\nbreak'],
    [true, 'TRUE'],
    [false, 'FALSE'],
    [new Date(Date.UTC(2024, 2, 1)), '2024-03-01'],
    [new Date(Date.UTC(2024, 2, 1, 14, 30, 0, 2)), '2024-03-01T14:30:00'],
    [{error: '#N/A'}, '#N/A'],
    [{richText: [{text: 'Bob '}, {text: 'Builder'}]}, 'Bob Builder'],
    [{formula: 'A1', result: 'x@example.com'}, 'x@example.com'],
    [{formula: 'A1', result: 12015550123}, '12015550123'],
    [{formula: 'A1'}, ''],
    [{sharedFormula: 'A1', result: 5}, '5'],
    [{text: 'ann@example.com', hyperlink: 'mailto:ann@example.com'}, 'ann@example.com'],
    [{text: {richText: [{text: 'rich'}, {text: ' link'}]}, hyperlink: 'https://x'}, 'rich link'],
    [{hyperlink: 'mailto:ann@example.com'}, 'ann@example.com'],
  ])('%j → %j', (value, text) => {
    expect(valueText(value, undefined, false)).toBe(text);
  });

  it('a number in a date format is a date (1900 and 1904 systems), also as a formula result', () => {
    expect(valueText(45352, 'yyyy-mm-dd', false)).toBe('2024-03-01');
    expect(valueText(45352 - 1462, 'yyyy-mm-dd', true)).toBe('2024-03-01');
    expect(valueText({formula: 'TODAY()', result: 45352.5}, 'yyyy-mm-dd hh:mm', false)).toBe('2024-03-01T12:00:00');
  });
});
