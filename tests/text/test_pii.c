#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/pii.h"

/* Check digits used below, computed by hand with the Luhn rule on the
 * ten-digit form YYMMDDNNN: from the left, double every other digit
 * starting with the first, subtract 9 from doubles over 9, sum, and the
 * check digit is (10 - sum % 10) % 10.
 *   811218987: 16-9=7,1,2,2,2,8,18-9=9,8,14-9=5 -> sum 44 -> check 6
 *              so 19811218-9876 is valid and 19811218-9875 is not.
 *   811278987 (samordningsnummer, day 18+60): 7,1,2,2,14-9=5,8,9,8,5
 *              -> sum 47 -> check 3: 811278-9873.
 *   000229123: 0,0,0,2,4,9,2,2,6 -> sum 25 -> check 5: 20000229-1235
 *              (2000 is a leap year; 19000229-1235 is not a date).
 *   811318987 (month 13): 7,1,2,3,2,8,9,8,5 -> 45 -> 5: 19811318-9875
 *              has a right check digit but no such date.
 *   810230123 (30 February): 7,1,0,2,6,0,2,2,6 -> 26 -> 4: 19810230-1234.
 * Card numbers are the networks' published test numbers (4111 1111 1111
 * 1111 Visa, 5555 5555 5555 4444 Mastercard, 3782 822463 10005 Amex,
 * 4000 0566 5566 5556 Visa debit), which pass Luhn; changing the last
 * digit makes them fail. */

struct want {
    enum pii_kind kind;
    size_t off, len;
};

/* Redacts s with every kind and checks the text and the matches. */
static void expect_n(const char *s, size_t n, const char *text,
                     const struct want *w, size_t n_w)
{
    struct pii_result r = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(pii_redact(&r, s, n, PII_ALL, &err), 0);
    assert_string_equal(r.text, text);
    assert_int_equal(r.n, strlen(text));
    assert_int_equal(r.n_m, n_w);
    for (size_t i = 0; i < n_w; i++) {
        assert_int_equal(r.m[i].kind, w[i].kind);
        assert_int_equal(r.m[i].off, w[i].off);
        assert_int_equal(r.m[i].len, w[i].len);
        assert_memory_equal(r.text + r.m[i].out_off,
                            pii_kind_placeholder(w[i].kind),
                            strlen(pii_kind_placeholder(w[i].kind)));
    }
    pii_result_dispose(&r);
}

#define expect(s, text, ...)                                                   \
    do {                                                                       \
        const struct want w_[] = {__VA_ARGS__};                                \
        expect_n((s), strlen(s), (text), w_, sizeof w_ / sizeof *w_);          \
    } while (0)

/* Nothing in s may be redacted. */
static void expect_kept(const char *s)
{
    struct pii_result r = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(pii_redact(&r, s, strlen(s), PII_ALL, &err), 0);
    if (r.n_m)
        print_error("unexpected %s at %zu in \"%s\"\n",
                    pii_kind_name(r.m[0].kind), r.m[0].off, s);
    assert_int_equal(r.n_m, 0);
    assert_string_equal(r.text, s);
    pii_result_dispose(&r);
}

/* s holds exactly one match, of this kind, covering the bytes "what". */
static void expect_one(const char *s, enum pii_kind kind, const char *what)
{
    struct pii_result r = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    const char *at = strstr(s, what);
    assert_non_null(at);
    assert_int_equal(pii_redact(&r, s, strlen(s), PII_ALL, &err), 0);
    if (r.n_m != 1)
        print_error("%zu matches in \"%s\"\n", r.n_m, s);
    assert_int_equal(r.n_m, 1);
    assert_string_equal(pii_kind_name(r.m[0].kind), pii_kind_name(kind));
    assert_int_equal(r.m[0].off, (size_t)(at - s));
    assert_int_equal(r.m[0].len, strlen(what));
    pii_result_dispose(&r);
}

static void test_pii_redacts_phone_and_email_in_swedish_comment(void **state)
{
    (void)state;
    /* "på" is 3 bytes, so the phone starts at byte 13. */
    expect("Ring mig på 070-123 45 67 eller mejla anna.svensson@example.se",
           "Ring mig på [telefon] eller mejla [e-post]", {PII_PHONE, 13, 13},
           {PII_EMAIL, 39, 24});
}

static void test_pii_redacts_swedish_phone_formats(void **state)
{
    static const char *const phones[] = {
        "070-123 45 67",  "0701234567",         "070 123 45 67",
        "070-1234567",    "08-123 456 78",      "031-12 34 56",
        "08-12 34 56",    "0980-123 45",        "+46 70 123 45 67",
        "+46701234567",   "0046 70 123 45 67",  "0046701234567",
        "(08) 123 45 67", "+46 (0)8 123 45 67", "+46 8 123 456 78",
    };
    char buf[128];
    (void)state;
    for (size_t i = 0; i < sizeof phones / sizeof *phones; i++) {
        snprintf(buf, sizeof buf, "Ring mig på %s efter kl 17, tack!",
                 phones[i]);
        expect_one(buf, PII_PHONE, phones[i]);
    }
}

static void test_pii_redacts_international_phone_numbers(void **state)
{
    (void)state;
    expect("Please call +44 20 7946 0958 or +1 415 555 0100.",
           "Please call [telefon] or [telefon].", {PII_PHONE, 12, 16},
           {PII_PHONE, 32, 15});
    expect_one("Call me at (415) 555-0100 today", PII_PHONE, "(415) 555-0100");
    expect_one("Call me at 415-555-0100 today", PII_PHONE, "415-555-0100");
    expect_one("UK office 020 7946 0958.", PII_PHONE, "020 7946 0958");
}

static void test_pii_two_phone_numbers_in_a_row_are_both_redacted(void **state)
{
    (void)state;
    expect("0701234567/0707654321", "[telefon]/[telefon]", {PII_PHONE, 0, 10},
           {PII_PHONE, 11, 10});
    expect("070-123 45 67 08-123 456 78", "[telefon] [telefon]",
           {PII_PHONE, 0, 13}, {PII_PHONE, 14, 13});
    /* A short number after a phone is not swallowed. */
    expect("ring 070-123 45 67 12 gånger", "ring [telefon] 12 gånger",
           {PII_PHONE, 5, 13});
}

static void test_pii_redacts_personnummer_in_all_forms(void **state)
{
    (void)state;
    /* "är" is 3 bytes: the number starts at 22. */
    expect("Mitt personnummer är 19811218-9876",
           "Mitt personnummer är "
           "[personnummer]",
           {PII_PERSONNUMMER, 22, 13});
    expect_one("pnr 811218-9876.", PII_PERSONNUMMER, "811218-9876");
    expect_one("pnr 8112189876.", PII_PERSONNUMMER, "8112189876");
    expect_one("pnr 198112189876.", PII_PERSONNUMMER, "198112189876");
    /* '+' instead of '-': the person has turned 100. */
    expect_one("min farfar 811218+9876", PII_PERSONNUMMER, "811218+9876");
    expect_one("född 20000229-1235 (skottdag)", PII_PERSONNUMMER,
               "20000229-1235");
}

static void test_pii_personnummer_near_misses_are_kept(void **state)
{
    (void)state;
    expect_kept("Mitt personnummer är 19811218-9875"); /* wrong check digit */
    expect_kept("Mitt personnummer är 811218-9875");
    expect_kept("Mitt personnummer är 19811318-9875"); /* month 13 */
    expect_kept("Mitt personnummer är 19810230-1234"); /* 30 February */
    expect_kept("Mitt personnummer är 19000229-1235"); /* 1900 not leap */
    expect_kept("Mitt personnummer är 21811218-9876"); /* century 21 */
}

static void test_pii_samordningsnummer_is_redacted(void **state)
{
    (void)state;
    expect("Mitt samordningsnummer: 811278-9873.",
           "Mitt samordningsnummer: [personnummer].",
           {PII_PERSONNUMMER, 24, 11});
    assert_int_equal(pii_personnummer_ok("811278-9873", 11), 2);
    assert_int_equal(pii_personnummer_ok("19811278-9873", 13), 2);
    /* Day 92 (32 + 60) does not exist. */
    expect_kept("nummer 811292-9873");
}

static void test_pii_personnummer_ok_checks_form_date_and_luhn(void **state)
{
    (void)state;
    assert_int_equal(pii_personnummer_ok("811218-9876", 11), 1);
    assert_int_equal(pii_personnummer_ok("811218+9876", 11), 1);
    assert_int_equal(pii_personnummer_ok("8112189876", 10), 1);
    assert_int_equal(pii_personnummer_ok("19811218-9876", 13), 1);
    assert_int_equal(pii_personnummer_ok("198112189876", 12), 1);
    assert_int_equal(pii_personnummer_ok("811218-9875", 11), 0);
    assert_int_equal(pii_personnummer_ok("811218 9876", 11), 0);
    assert_int_equal(pii_personnummer_ok("19811218+9876", 13), 0);
    assert_int_equal(pii_personnummer_ok("19811318-9875", 13), 0);
    assert_int_equal(pii_personnummer_ok("19810230-1234", 13), 0);
    assert_int_equal(pii_personnummer_ok("20000229-1235", 13), 1);
    assert_int_equal(pii_personnummer_ok("19000229-1235", 13), 0);
    assert_int_equal(pii_personnummer_ok("811218-987", 10), 0);
    assert_int_equal(pii_personnummer_ok("", 0), 0);
    assert_int_equal(pii_personnummer_ok(NULL, 0), 0);
}

static void test_pii_luhn_ok_accepts_valid_and_rejects_others(void **state)
{
    (void)state;
    assert_true(pii_luhn_ok("4111111111111111", 16));
    assert_true(pii_luhn_ok("8112189876", 10));
    assert_true(pii_luhn_ok("00", 2));
    assert_false(pii_luhn_ok("4111111111111112", 16));
    assert_false(pii_luhn_ok("1234567812345678", 16));
    assert_false(pii_luhn_ok("4111 1111", 9)); /* only digits */
    assert_false(pii_luhn_ok("0", 1));
    assert_false(pii_luhn_ok(NULL, 0));
}

static void test_pii_redacts_card_numbers_passing_luhn(void **state)
{
    (void)state;
    expect("Kortet 4111 1111 1111 1111 drogs två gånger.",
           "Kortet [kortnummer] drogs två gånger.", {PII_CARD, 7, 19});
    expect_one("kort: 5555-5555-5555-4444!", PII_CARD, "5555-5555-5555-4444");
    expect_one("Amex 3782 822463 10005 ok", PII_CARD, "3782 822463 10005");
    expect_one("nummer 4111111111111111", PII_CARD, "4111111111111111");
}

static void test_pii_card_numbers_failing_luhn_are_kept(void **state)
{
    (void)state;
    expect_kept("Kortet 4111 1111 1111 1112 drogs två gånger.");
    expect_kept("kort: 5555-5555-5555-4445");
    /* 16-digit order numbers that do not pass Luhn. */
    expect_kept("Ordernummer 1234567812345678 har inte kommit");
    expect_kept("Order 4532 0151 1283 0367 saknas");
    /* ... nor may a phone-looking part of one be taken. */
    expect_kept("Ordernummer 1234 0123 4567 8901");
    expect_kept("Beställning 2025-0312-4455");
}

static void
test_pii_phone_like_digits_inside_a_card_give_one_match(void **state)
{
    (void)state;
    /* "0566 5566 5556" alone would look like a phone number. */
    expect("Kort 4000 0566 5566 5556, tel 070-123 45 67",
           "Kort [kortnummer], tel [telefon]", {PII_CARD, 5, 19},
           {PII_PHONE, 30, 13});
    expect("4000056655665556", "[kortnummer]", {PII_CARD, 0, 16});
}

static void test_pii_redacts_swedish_street_addresses(void **state)
{
    (void)state;
    expect("Jag bor på Storgatan 12B, 123 45 Uppsala. Skicka dit!",
           "Jag bor på [adress]. Skicka dit!", {PII_ADDRESS, 12, 29});
    expect_one("Leverera till Kungsvägen 5 i stället", PII_ADDRESS,
               "Kungsvägen 5");
    expect_one("Ny adress: Sankt Eriksgatan 12, lgh 1102, 113 43 Stockholm",
               PII_ADDRESS, "Sankt Eriksgatan 12, lgh 1102, 113 43 Stockholm");
    expect_one("Paketet kom till Sergels torg 3 av misstag", PII_ADDRESS,
               "Sergels torg 3");
    expect_one("bor på Stortorget 4 B nu", PII_ADDRESS, "Stortorget 4 B");
    expect_one("på Stureplan 4.", PII_ADDRESS, "Stureplan 4");
    expect_one("Adress Björkallén 7-9", PII_ADDRESS, "Björkallén 7-9");
    expect_one("Gamla stan, Österlånggatan 3", PII_ADDRESS, "Österlånggatan 3");
    expect_one("Bor på Vägen 1, Upplands-Väsby? Nej, på Ringvägen 1, "
               "194 30 Upplands-Väsby",
               PII_ADDRESS, "Ringvägen 1, 194 30 Upplands-Väsby");
}

static void test_pii_redacts_english_street_addresses(void **state)
{
    (void)state;
    expect("I live at 221B Baker Street, not 10 Downing Street.",
           "I live at [adress], not [adress].", {PII_ADDRESS, 10, 17},
           {PII_ADDRESS, 33, 17});
    expect_one("Deliver to 350 5th Avenue please", PII_ADDRESS,
               "350 5th Avenue");
    expect_one("Flat 2, 12 Old Kent Road", PII_ADDRESS, "12 Old Kent Road");
    expect_one("Send it to 3 Main St. Thanks", PII_ADDRESS, "3 Main St");
}

static void test_pii_ordinary_numbers_are_not_redacted(void **state)
{
    static const char *const kept[] = {
        "Det kostade 1 250 kr och sedan 12,50 kr till.",
        "Totalt 2 000 000 kr för 0,5 liter?",
        "Jag var där 2025-03-14 och igen 14/3 och 14/3/2025.",
        "Öppet 08:30-17:00, kom 08.30 eller kl 8.",
        "Kund sedan 1998, nöjd till 95 % eller 95%.",
        "Jag bor i lgh 1102 sedan år 2019.",
        "Postnummer 123 45 Uppsala, och 12345.",
        "Betyg 10/10, 4 av 5 stjärnor, 3 gånger.",
        "Vi åkte på motorvägen 2 timmar, på plan 3 var det kallt.",
        "Storgatan 12 kr billigare, Kungsgatan 5 gånger.",
        "Storgatan är fin, gatan 12 vet jag inte.",
        "Ordernummer 123456, ärende 4455-2021, kundnr 98765432.",
        "Version 1.0701234567 och 3,0701234567 är decimaltal.",
        "We waited 2 Long Days and paid 350 dollars.",
        "I gave 3 Stars close to the door.",
        "Telefon: 0 kr, rum 0701234567abc, kod x0701234567.",
        "Kontonummer 8327-9, 123 456 789-0.",
        "+5 poäng, (3) saker, + 46, 00 00.",
        "x@y, @anna, anna@, a@b.c1, @example.se",
    };
    (void)state;
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        expect_kept(kept[i]);
}

static void test_pii_email_edges(void **state)
{
    (void)state;
    expect("anna@example.se,bertil@exempel.com. Klart.",
           "[e-post],[e-post]. Klart.", {PII_EMAIL, 0, 15},
           {PII_EMAIL, 16, 18});
    expect_one("Mejla (kalle+kundtjanst@mail.foretag.se) nu", PII_EMAIL,
               "kalle+kundtjanst@mail.foretag.se");
    /* Latin-1 letters in both parts. */
    expect_one("E-post: Åsa.Öberg@företag.se.", PII_EMAIL,
               "Åsa.Öberg@företag.se");
    /* A number right before the '@' is part of the address. */
    expect_one("skriv till 0701234567@sms.example.com", PII_EMAIL,
               "0701234567@sms.example.com");
}

static void test_pii_utf8_around_matches_is_preserved(void **state)
{
    (void)state;
    /* 😀 is 4 bytes (F0 9F 98 80), å ä ö are 2 each. */
    expect("åäö😀070-123 45 67😀 Ågatan 3 åäö", "åäö😀[telefon]😀 [adress] åäö",
           {PII_PHONE, 10, 13}, {PII_ADDRESS, 28, 9});
    expect("😀anna@example.se😀", "😀[e-post]😀", {PII_EMAIL, 4, 15});
}

static void test_pii_does_not_rely_on_nul(void **state)
{
    static const char s[] = "Ring 070-123 45 67\0 eller 08-123 456 78";
    (void)state;
    const struct want w[] = {{PII_PHONE, 5, 13}, {PII_PHONE, 26, 13}};
    struct pii_result r = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(pii_redact(&r, s, sizeof s - 1, PII_ALL, &err), 0);
    assert_int_equal(r.n_m, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(r.m[i].off, w[i].off);
        assert_int_equal(r.m[i].len, w[i].len);
    }
    assert_int_equal(r.n,
                     strlen("Ring [telefon]") + 1 + strlen(" eller [telefon]"));
    assert_memory_equal(r.text, "Ring [telefon]\0 eller [telefon]", r.n);
    /* A prefix ending inside a number sees only the prefix. */
    assert_int_equal(pii_redact(&r, s, 12, PII_ALL, &err), 0);
    assert_int_equal(r.n_m, 0);
    assert_string_equal(r.text, "Ring 070-123");
    pii_result_dispose(&r);
}

static void test_pii_kinds_mask_selects_what_is_replaced(void **state)
{
    static const char s[] = "Kort 4000 0566 5566 5556, tel 070-123 45 67, "
                            "anna@example.se";
    struct pii_result r;
    struct err err = ERR_INIT;
    (void)state;
    pii_result_init(&r);
    assert_int_equal(pii_redact(&r, s, strlen(s), PII_BIT(PII_PHONE), &err), 0);
    /* The card is recognised and left alone, not half-read as a phone. */
    assert_string_equal(r.text, "Kort 4000 0566 5566 5556, tel [telefon], "
                                "anna@example.se");
    assert_int_equal(r.n_m, 1);
    assert_int_equal(r.m[0].off, 30);
    assert_int_equal(pii_redact(&r, s, strlen(s), 0, &err), 0);
    assert_string_equal(r.text, s);
    assert_int_equal(r.n_m, 0);
    assert_int_equal(pii_redact(&r, s, strlen(s),
                                PII_BIT(PII_EMAIL) | PII_BIT(PII_CARD), &err),
                     0);
    assert_string_equal(r.text, "Kort [kortnummer], tel 070-123 45 67, "
                                "[e-post]");
    pii_result_dispose(&r);
}

static void test_pii_input_over_maximum_is_invalid(void **state)
{
    size_t n = (size_t)PII_MAX_INPUT + 1;
    char *big = malloc(n);
    struct pii_result r = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    (void)state;
    memset(big, 'a', n);
    memcpy(big, "070-123 45 67 ", 14);
    assert_int_equal(pii_redact(&r, big, n, PII_ALL, &err), ERR_INVALID);
    assert_int_equal(err.code, ERR_INVALID);
    assert_non_null(strstr(err.msg, "too large"));
    assert_string_equal(r.text, "");
    assert_int_equal(r.n_m, 0);
    /* Exactly the maximum is accepted. */
    err_clear(&err);
    assert_int_equal(pii_redact(&r, big, n - 1, PII_ALL, &err), 0);
    assert_int_equal(r.n_m, 1);
    assert_int_equal(r.n, n - 1 - 13 + strlen("[telefon]"));
    pii_result_dispose(&r);
    free(big);
}

static void test_pii_empty_input_gives_empty_text(void **state)
{
    struct pii_result r = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(pii_redact(&r, NULL, 0, PII_ALL, &err), 0);
    assert_non_null(r.text);
    assert_string_equal(r.text, "");
    assert_int_equal(r.n, 0);
    assert_int_equal(r.n_m, 0);
    pii_result_dispose(&r);
    pii_result_dispose(&r); /* disposed twice is fine */
    pii_result_dispose(NULL);
}

static void test_pii_result_is_reusable_across_comments(void **state)
{
    struct pii_result r = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    (void)state;
    const char *a = "mejla anna@example.se eller ring 070-123 45 67";
    const char *b = "inget här";
    assert_int_equal(pii_redact(&r, a, strlen(a), PII_ALL, &err), 0);
    assert_int_equal(r.n_m, 2);
    assert_int_equal(pii_redact(&r, b, strlen(b), PII_ALL, &err), 0);
    assert_int_equal(r.n_m, 0);
    assert_string_equal(r.text, b);
    pii_result_dispose(&r);
}

static void test_pii_kind_names_and_placeholders_are_stable(void **state)
{
    (void)state;
    assert_string_equal(pii_kind_name(PII_EMAIL), "email");
    assert_string_equal(pii_kind_name(PII_PHONE), "phone");
    assert_string_equal(pii_kind_name(PII_PERSONNUMMER), "personnummer");
    assert_string_equal(pii_kind_name(PII_CARD), "card");
    assert_string_equal(pii_kind_name(PII_ADDRESS), "address");
    assert_string_equal(pii_kind_name(PII_N_KINDS), "unknown");
    assert_string_equal(pii_kind_placeholder(PII_EMAIL), "[e-post]");
    assert_string_equal(pii_kind_placeholder(PII_PHONE), "[telefon]");
    assert_string_equal(pii_kind_placeholder(PII_PERSONNUMMER),
                        "[personnummer]");
    assert_string_equal(pii_kind_placeholder(PII_CARD), "[kortnummer]");
    assert_string_equal(pii_kind_placeholder(PII_ADDRESS), "[adress]");
    assert_string_equal(pii_kind_placeholder(PII_N_KINDS), "[?]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pii_redacts_phone_and_email_in_swedish_comment),
        cmocka_unit_test(test_pii_redacts_swedish_phone_formats),
        cmocka_unit_test(test_pii_redacts_international_phone_numbers),
        cmocka_unit_test(test_pii_two_phone_numbers_in_a_row_are_both_redacted),
        cmocka_unit_test(test_pii_redacts_personnummer_in_all_forms),
        cmocka_unit_test(test_pii_personnummer_near_misses_are_kept),
        cmocka_unit_test(test_pii_samordningsnummer_is_redacted),
        cmocka_unit_test(test_pii_personnummer_ok_checks_form_date_and_luhn),
        cmocka_unit_test(test_pii_luhn_ok_accepts_valid_and_rejects_others),
        cmocka_unit_test(test_pii_redacts_card_numbers_passing_luhn),
        cmocka_unit_test(test_pii_card_numbers_failing_luhn_are_kept),
        cmocka_unit_test(
            test_pii_phone_like_digits_inside_a_card_give_one_match),
        cmocka_unit_test(test_pii_redacts_swedish_street_addresses),
        cmocka_unit_test(test_pii_redacts_english_street_addresses),
        cmocka_unit_test(test_pii_ordinary_numbers_are_not_redacted),
        cmocka_unit_test(test_pii_email_edges),
        cmocka_unit_test(test_pii_utf8_around_matches_is_preserved),
        cmocka_unit_test(test_pii_does_not_rely_on_nul),
        cmocka_unit_test(test_pii_kinds_mask_selects_what_is_replaced),
        cmocka_unit_test(test_pii_input_over_maximum_is_invalid),
        cmocka_unit_test(test_pii_empty_input_gives_empty_text),
        cmocka_unit_test(test_pii_result_is_reusable_across_comments),
        cmocka_unit_test(test_pii_kind_names_and_placeholders_are_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
