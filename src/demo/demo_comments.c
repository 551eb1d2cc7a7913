/* Tenant comments, in Swedish and English, composed from a phrase bank.
 *
 * A comment is an optional opening, one or two statements on a theme
 * (the touchpoint's own, or a general one such as staff or information),
 * an optional closing and, rarely, contact details (personal data for
 * the redaction feature to find). Templates hold alternatives {a|b|c},
 * which may nest, and slots: @OBJ the broken thing, @DUR how long the
 * repair took, @STAFF a viewing host, @DIST the district, @N a small
 * number, @WAIT a phone queue, @PHONE and @EMAIL. Afterwards some
 * comments lose their final full stop, gain an exclamation mark, a typo,
 * an emoji, or are typed without å, ä and ö, as real ones are. */
#include "demo/demo_int.h"

struct bank {
    const char *const *p;
    size_t n;
};
#define B(a)                                                                   \
    {                                                                          \
        a, sizeof a / sizeof a[0]                                              \
    }
#define NONE                                                                   \
    {                                                                          \
        NULL, 0                                                                \
    }

struct theme_bank {
    struct bank sv[3]; /* [enum sentiment] */
    struct bank en[3];
};

/* ---- Söka bostad ---- */
static const char *const search_sv_neg[] = {
    "Sökfunktionen på webben är {krånglig|rörig|seg}, {filtren nollställs "
    "hela tiden|man tappar sina filter varje gång man går tillbaka}.",
    "Svårt att hitta lediga lägenheter{| i @DIST}, {det finns nästan inget|"
    "allt är borta direkt}.",
    "Bilderna på lägenheterna är {gamla|för få|dåliga} och planritning "
    "saknas ofta.",
    "Kartan på sajten {laddar inte|fungerar inte i mobilen}.",
    "Hemsidan är {inte anpassad för mobilen|seg i mobilen}, {jobbigt att "
    "söka|man ger upp}.",
    "Annonserna säger inget om {hiss|balkong|förråd}, man måste ringa och "
    "fråga om allt.",
};
static const char *const search_sv_neu[] = {
    "Sökningen fungerar {ok|hyfsat} men det vore bra att kunna filtrera på "
    "{balkong|hiss|våningsplan}.",
    "Helt okej att söka, men {fler bilder|planritningar} hade hjälpt.",
    "Det går att hitta det man söker, men {sidan är lite rörig|det tar tid}.",
};
static const char *const search_sv_pos[] = {
    "Lätt att hitta {lediga lägenheter|det jag sökte} på {hemsidan|webben}.",
    "Smidig sökning, {bra filter|bra att man kan spara sin sökning}.",
    "{Bra|Tydliga} bilder och planritningar, {lätt att jämföra|man ser "
    "direkt vad man får}.",
    "Bra att man får {bevakning|mejl} när det kommer nya lägenheter i @DIST.",
};
static const char *const search_en_neg[] = {
    "The search on the website is {clunky|confusing}, {the filters reset all "
    "the time|it keeps losing my filters}.",
    "Hard to find any available apartments{| in @DIST}.",
    "The listings have {old|too few} photos and no floor plans.",
};
static const char *const search_en_neu[] = {
    "Search works okay, but {more photos|floor plans} would help.",
};
static const char *const search_en_pos[] = {
    "Easy to find {available apartments|what I was looking for} on the "
    "website.",
    "Good filters and clear photos.",
};

static const char *const queue_sv_neg[] = {
    "Kötiden är {orimligt lång|helt orimlig}, {jag har stått i kö i @N år|"
    "@N år i kön och fortfarande inget}.",
    "Förstår inte hur köpoängen räknas, {ingen kan förklara det|"
    "informationen är otydlig}.",
    "Intresseanmälan {krånglade|gick inte att skicka} {flera gånger|två "
    "gånger} innan det fungerade.",
    "Man får inget besked alls efter intresseanmälan{|, det är "
    "frustrerande}.",
    "Fick {påminnelse|mejl} om att förnya min köplats men länken fungerade "
    "inte.",
};
static const char *const queue_sv_neu[] = {
    "Det tar tid i kön men {så är det väl|det visste jag}.",
    "Intresseanmälan var enkel men det är oklart {hur länge jag måste vänta|"
    "var jag står i kön}.",
};
static const char *const queue_sv_pos[] = {
    "Enkelt att anmäla intresse{, tog en minut|, bra att man ser sin "
    "köplats}.",
    "Bra att man ser sin plats i kön direkt.",
    "Fick erbjudande snabbare än jag trodde!",
};
static const char *const queue_en_neg[] = {
    "The queue is {ridiculously|way too} long, @N years and still nothing.",
    "No response at all after registering interest.",
};
static const char *const queue_en_neu[] = {
    "Registering was easy, but it's unclear how long I'll have to wait.",
};
static const char *const queue_en_pos[] = {
    "Easy to register interest{| and see my place in the queue}.",
};

static const char *const viewing_sv_neg[] = {
    "Visningen var {stressig|rörig}, {det var @N andra där samtidigt|vi var "
    "över tjugo personer}.",
    "{Ingen|Personen som visade} kunde svara på frågor om {hyran|förrådet|"
    "parkeringen}.",
    "Visningen blev {flyttad|inställd} med {en timmes|en dags} varsel.",
    "Lägenheten var {smutsig|inte städad} vid visningen{| och det luktade "
    "rök}.",
    "Den som visade kom {en kvart|tjugo minuter} för sent.",
};
static const char *const viewing_sv_neu[] = {
    "Visningen var {ok|helt ok}, {lite kort bara|gick lite snabbt}.",
    "Bra att få se lägenheten men {informationen om förrådet saknades|svårt "
    "att hitta dit}.",
};
static const char *const viewing_sv_pos[] = {
    "Väldigt trevlig personal på visningen!",
    "{Trevlig|Proffsig} visning, {vi fick ta all tid vi behövde|alla frågor "
    "besvarades}.",
    "Bra visning, lägenheten såg ut precis som på bilderna.",
};
static const char *const viewing_en_neg[] = {
    "The viewing was {chaotic|rushed}, there were @N other people there.",
    "Nobody could answer questions about {the rent|storage|parking}.",
};
static const char *const viewing_en_neu[] = {
    "The viewing was fine, a bit short.",
};
static const char *const viewing_en_pos[] = {
    "Very friendly staff at the viewing!",
    "Great viewing, we could take our time.",
};

static const char *const vstaff_sv_pos[] = {
    "@STAFF på visningen var {jättetrevlig|supertrevlig|så himla trevlig} och "
    "tog sig tid att svara på alla frågor.",
    "Stort tack till @STAFF som visade lägenheten, {kände mig verkligen "
    "välkommen|så bra bemötande}.",
    "@STAFF {visade runt i hela huset|visade tvättstugan och förrådet också}, "
    "{väldigt omtänksamt|det uppskattades}.",
    "Personalen på visningen var {otroligt|väldigt} {trevlig|hjälpsam}, "
    "@STAFF förklarade allt om {hyran|kontraktet|området}.",
    "Väldigt trevlig personal på visningen! {@STAFF var toppen.|Tack "
    "@STAFF!}",
};
static const char *const vstaff_en_pos[] = {
    "@STAFF at the viewing was {really|super} friendly and answered all our "
    "questions.",
    "Big thanks to @STAFF, we felt really welcome at the viewing.",
};

/* ---- Kontrakt ---- */
static const char *const cdig_sv_neg[] = {
    "Signeringen med BankID {hängde sig|misslyckades} {två gånger|flera "
    "gånger}{| innan det gick}.",
    "Fick {aldrig|inte} någon bekräftelse på att kontraktet var signerat.",
    "Länken till kontraktet hade {gått ut|slutat fungera} när jag skulle "
    "signera.",
    "Kontraktet gick inte att öppna i mobilen, {fick leta upp en dator|fick "
    "be om hjälp}.",
    "Det var oklart {vem som skulle signera först|om min sambo också behövde "
    "signera}.",
};
static const char *const cdig_sv_neu[] = {
    "Det gick att signera men {det tog ett tag att hitta länken|"
    "instruktionerna kunde vara tydligare}.",
    "Helt ok, {lite krångligt med medsökande|fick logga in två gånger}.",
};
static const char *const cdig_sv_pos[] = {
    "Snabb hantering av kontraktet, smidigt med BankID.",
    "Signerade kontraktet {på bussen|i soffan|på två minuter}, {riktigt "
    "smidigt|hur enkelt som helst}.",
    "{Superenkelt|Enkelt} att skriva kontrakt digitalt{| med BankID}.",
};
static const char *const cdig_en_neg[] = {
    "Signing with BankID {failed|froze} {twice|several times}.",
    "Never got a confirmation that the contract was signed.",
};
static const char *const cdig_en_neu[] = {
    "It worked, but the instructions could be clearer.",
};
static const char *const cdig_en_pos[] = {
    "Quick contract handling, smooth with BankID.",
    "Signed the lease on my phone in two minutes, very easy.",
};

static const char *const coff_sv_neg[] = {
    "Fick vänta {en halvtimme|45 minuter} på kundcenter trots bokad tid.",
    "Handläggaren {hade inte kontraktet klart|saknade mina uppgifter} när jag "
    "kom.",
};
static const char *const coff_sv_neu[] = {
    "Det gick bra men det hade varit enklare att signera digitalt.",
};
static const char *const coff_sv_pos[] = {
    "Trevligt bemötande på kontoret, {allt var förberett|de gick igenom "
    "kontraktet punkt för punkt}.",
    "Skönt att få gå igenom kontraktet med en person.",
};
static const char *const coff_en_neg[] = {
    "Had to wait {half an hour|45 minutes} despite having an appointment.",
};
static const char *const coff_en_neu[] = {
    "Fine, but signing digitally would have been easier.",
};
static const char *const coff_en_pos[] = {
    "Friendly staff at the office, everything was prepared.",
};

static const char *const pay_sv_neg[] = {
    "Hyresavin {kom för sent|kom inte alls} och nu har jag fått en "
    "påminnelseavgift.",
    "Autogirot {startade inte|drogs två gånger} första månaden.",
    "Det går inte att se {gamla avier|vad som är betalt} i appen.",
    "Svårt att förstå vad {tilläggen|avgifterna} på avin är för något.",
};
static const char *const pay_sv_neu[] = {
    "Avin är ok men {det borde gå att få den som e-faktura|OCR-numret är "
    "svårt att hitta}.",
};
static const char *const pay_sv_pos[] = {
    "Smidigt med autogiro, {behöver inte tänka på något|allt sköts "
    "automatiskt}.",
    "Tydlig hyresavi{| och enkelt att betala}.",
    "Bra att man ser alla avier i appen.",
};
static const char *const pay_en_neg[] = {
    "The rent invoice {arrived late|never arrived} and now I got a late fee.",
    "The direct debit was charged twice the first month.",
};
static const char *const pay_en_neu[] = {
    "The invoice is fine, but an e-invoice would be better.",
};
static const char *const pay_en_pos[] = {
    "Direct debit is smooth, nothing to think about.",
};

/* ---- Inflyttning ---- */
static const char *const keys_sv_neg[] = {
    "Nycklarna var inte {klara|på plats} när jag kom{| och jag fick komma "
    "tillbaka dagen efter}.",
    "Fick bara {en nyckel|en tagg} trots att vi är två i hushållet.",
    "Kundcenter hade stängt {tidigare än det stod|på lunchen} så jag fick "
    "vänta.",
};
static const char *const keys_sv_neu[] = {
    "Nyckelutlämningen gick ok, {lite kö bara|fick vänta en stund}.",
};
static const char *const keys_sv_pos[] = {
    "Smidig nyckelutlämning, {allt var klart|tog fem minuter}.",
    "{Trevligt|Varmt} välkomnande när vi hämtade nycklarna{!|, vi fick en "
    "välkomstpärm också.}",
};
static const char *const keys_en_neg[] = {
    "The keys weren't ready when I came.",
    "Only got one key tag although we are two.",
};
static const char *const keys_en_neu[] = {
    "Key pickup was fine, a short wait.",
};
static const char *const keys_en_pos[] = {
    "Smooth key pickup, everything was ready.",
};

static const char *const insp_sv_neg[] = {
    "Lägenheten var {inte städad|smutsig} vid inflyttningen{| och ugnen var "
    "full av fett}.",
    "Besiktningen missade {en fuktskada|en trasig dörr|repor i golvet} som "
    "jag nu är orolig att få betala för.",
    "Ingen kom på den bokade besiktningen.",
};
static const char *const insp_sv_neu[] = {
    "Besiktningen gick snabbt, {kanske lite för snabbt|vi gick igenom det "
    "viktigaste}.",
};
static const char *const insp_sv_pos[] = {
    "Noggrann besiktning, {allt dokumenterades med bilder|bra att vi gick "
    "igenom allt tillsammans}.",
    "Fräsch lägenhet vid inflyttningen{|, nymålat och fint}.",
};
static const char *const insp_en_neg[] = {
    "The apartment wasn't cleaned when we moved in.",
};
static const char *const insp_en_neu[] = {
    "The inspection was quick, maybe too quick.",
};
static const char *const insp_en_pos[] = {
    "Thorough inspection, everything was documented.",
};

/* ---- Appen ---- */
static const char *const app_sv_neg[] = {
    "Appen är {seg|buggig|krånglig} och {kraschar ofta|laddar i evigheter}.",
    "Notiserna i appen {kommer inte|kommer flera dagar för sent}.",
    "Det är svårt att hitta {kontraktet|mina ärenden|hyresavin} i appen.",
    "Appen fungerar inte på min {gamla |}telefon.",
};
static const char *const app_sv_neu[] = {
    "Appen fungerar {ok|för det mesta} men {den kunde vara snabbare|menyerna "
    "är lite röriga}.",
    "Helt ok app, saknar {mörkt läge|en engelsk version|möjlighet att "
    "chatta}.",
};
static const char *const app_sv_pos[] = {
    "Bra app, {allt samlat på ett ställe|lätt att hitta}.",
    "Appen är {smidig|enkel} och {snabb|tydlig}.",
    "Smidigt att ha allt i appen{|, slipper ringa}.",
};
static const char *const app_en_neg[] = {
    "The app is {slow|buggy} and crashes often.",
    "The app is only partly in English, hard to understand.",
};
static const char *const app_en_neu[] = {
    "The app works okay but could be faster.",
};
static const char *const app_en_pos[] = {
    "Great app, everything in one place.",
};

static const char *const login_sv_neg[] = {
    "Appen loggar ut mig hela tiden, går inte att logga in.",
    "Kan inte logga in med BankID{| i appen}, {det bara snurrar|får "
    "felmeddelande varje gång}.",
    "Har försökt logga in {i flera dagar|hela veckan|@N gånger} utan att "
    "lyckas.",
    "Inloggningen fungerar inte sedan {uppdateringen|senaste "
    "uppdateringen}{|, vad har ni gjort?}",
    "Fick ringa kundservice för att jag inte kom in i appen{|, och där var "
    "det lång kö}.",
    "Felmeddelande vid inloggning: \"{Något gick fel|Sessionen har gått "
    "ut}\". {Hela tiden.|Varje gång.}",
    "Går inte att {göra en felanmälan|boka tvättstugan|se min hyresavi} "
    "eftersom jag inte kan logga in.",
    "Inloggningen är trasig. {Fixa det!|Igen.}",
};
static const char *const login_sv_neu[] = {
    "Inloggningen {strular ibland|tar lite tid} men det brukar gå till slut.",
    "Fick logga in {två|tre} gånger innan det gick.",
};
static const char *const login_en_neg[] = {
    "The app keeps logging me out, I can't log in.",
    "Can't log in with BankID, {it just spins|I get an error every time}.",
    "Haven't been able to log in {for days|all week} since the update.",
};
static const char *const login_en_neu[] = {
    "Login is a bit flaky sometimes.",
};

/* ---- Felanmälan och reparation ---- */
static const char *const fault_sv_neg[] = {
    "Fick {ringa|jaga er} {flera gånger|tre gånger} om @OBJ innan något "
    "hände.",
    "Ärendet stängdes {utan att något var gjort|fast @OBJ fortfarande inte "
    "fungerar}.",
    "Ingen återkoppling alls på felanmälan om @OBJ.",
    "Felanmälan {gick inte att skicka|försvann}, fick göra om den.",
};
static const char *const fault_sv_neu[] = {
    "Felanmälan var enkel men {man vet aldrig när de kommer|det var svårt att "
    "välja rätt kategori}.",
    "Det blev lagat till slut men kommunikationen kunde varit bättre.",
};
static const char *const fault_sv_pos[] = {
    "Enkelt att göra felanmälan{| och bra att man kan bifoga bild}.",
    "{Snabb|Bra} återkoppling på felanmälan.",
    "Smidigt, fick en tid för {reparationen|besöket} direkt.",
};
static const char *const fault_en_neg[] = {
    "Had to call {several times|three times} about @OBJ before anything "
    "happened.",
    "The case was closed but @OBJ still doesn't work.",
};
static const char *const fault_en_neu[] = {
    "Easy to report, but you never know when they will come.",
};
static const char *const fault_en_pos[] = {
    "Easy to report a fault{| and attach a photo}.",
};

static const char *const fslow_sv_neg[] = {
    "Felanmälan tog @DUR innan någon kom och lagade @OBJ.",
    "Gjorde en felanmälan om @OBJ och {hörde inget på @DUR|fick ingen "
    "återkoppling alls på @DUR}.",
    "Det tog @DUR att få @OBJ lagad{|, helt oacceptabelt}.",
    "@DUR utan fungerande {@OBJ|@OBJ, med barn i huset}. {Orimligt.|Hur "
    "svårt kan det vara?}",
    "Väntade @DUR på att någon skulle komma och titta på @OBJ.",
};
static const char *const fslow_sv_neu[] = {
    "Felanmälan var enkel att göra men det tog @DUR innan den var åtgärdad.",
    "Det blev lagat till slut, men det tog @DUR.",
};
static const char *const fslow_en_neg[] = {
    "The fault report took @DUR before anyone came to fix @OBJ.",
    "Reported @OBJ and heard nothing for @DUR.",
};
static const char *const fslow_en_neu[] = {
    "Easy to report, but it took @DUR to fix.",
};

static const char *const fquick_sv_pos[] = {
    "Anmälde {fel på|att det var något fel med} @OBJ {på morgonen|på "
    "förmiddagen} och det var lagat {samma dag|redan på eftermiddagen}!",
    "{Snabb|Supersnabb} hantering av felanmälan, {fick en tid direkt|fick "
    "bekräftelse på en gång}.",
    "Det tog bara @DUR att få @OBJ lagad, {toppen|imponerande}.",
};
static const char *const fquick_en_pos[] = {
    "Reported a problem with @OBJ in the morning and it was fixed the same "
    "day!",
    "Quick handling of my fault report.",
};

static const char *const repair_sv_neg[] = {
    "Hantverkaren kom {inte på utsatt tid|utan att höra av sig} och {lämnade "
    "smuts efter sig|gick efter tio minuter}.",
    "@OBJ fungerar {fortfarande inte|inte heller nu} efter reparationen.",
    "Ingen lapp om att de varit här, {jag visste inte ens|oklart} om det var "
    "lagat.",
};
static const char *const repair_sv_neu[] = {
    "Reparationen blev gjord men {de kom en annan dag än avtalat|det "
    "dröjde}.",
};
static const char *const repair_sv_pos[] = {
    "{Trevlig|Proffsig|Duktig} fastighetsskötare som lagade @OBJ {på en "
    "gång|snabbt} och städade efter sig.",
    "Bra jobbat med @OBJ, fungerar {perfekt|som ny} nu.",
    "Fastighetsskötaren {förklarade vad som var fel|var jättetrevlig}{| och "
    "lagade det direkt}.",
};
static const char *const repair_en_neg[] = {
    "The repairman {didn't show up on time|left a mess}.",
    "@OBJ still doesn't work after the repair.",
};
static const char *const repair_en_neu[] = {
    "It got fixed, but on a different day than agreed.",
};
static const char *const repair_en_pos[] = {
    "Friendly caretaker who fixed @OBJ quickly and cleaned up after "
    "himself.",
};

/* ---- Kundservice ---- */
static const char *const service_sv_neg[] = {
    "Väntade {i @WAIT|i telefonkön i @WAIT} innan någon svarade.",
    "Fick {olika besked|tre olika svar} beroende på vem jag pratade med.",
    "{Otrevligt|Nonchalant} bemötande{| i telefon}, kändes som att jag "
    "störde.",
    "Blev lovad att bli uppringd men ingen ringde tillbaka.",
};
static const char *const service_sv_neu[] = {
    "Fick svar på min fråga men {kön var lång|det tog lite tid}.",
    "Ok service, men {öppettiderna är för korta|man borde kunna chatta}.",
};
static const char *const service_sv_pos[] = {
    "{Trevlig|Hjälpsam|Jättetrevlig} person i kundservice som löste {allt|"
    "mitt ärende} direkt.",
    "Kort väntetid och {bra|tydligt} svar{|, tack}.",
    "Fick hjälp på en gång{|, kunde inte varit bättre}.",
};
static const char *const service_en_neg[] = {
    "Waited @WAIT in the phone queue.",
    "Got different answers from different people.",
};
static const char *const service_en_neu[] = {
    "Got an answer, but the queue was long.",
};
static const char *const service_en_pos[] = {
    "Helpful person at customer service who solved everything right away.",
};

/* ---- Boende ---- */
static const char *const laundry_sv_neg[] = {
    "Bokningen i appen visar {lediga tider som inte finns|fel tider}, "
    "{någon annan var redan där|dubbelbokat}.",
    "Tvättmaskinerna {är ofta trasiga|har varit trasiga i veckor} i "
    "tvättstugan.",
    "Grannar {tar min tid|bokar alla kvällstider}{| och ingen gör något}.",
    "Torktumlaren {fungerar inte|torkar inte}{| sedan @N veckor}.",
};
static const char *const laundry_sv_neu[] = {
    "Bokningen fungerar men det är {för få tider|svårt att få kvällstider}.",
};
static const char *const laundry_sv_pos[] = {
    "Enkelt att boka tvättstuga i appen{|, smidigt}.",
    "Bra att man kan {avboka|se lediga tider} direkt i appen.",
};
static const char *const laundry_en_neg[] = {
    "The laundry booking shows times that aren't really free.",
};
static const char *const laundry_en_neu[] = {
    "Booking works, but there are too few slots.",
};
static const char *const laundry_en_pos[] = {
    "Easy to book the laundry room in the app.",
};

static const char *const clean_sv_neg[] = {
    "Trapphuset städas {sällan|nästan aldrig}, {det är smutsigt|sand "
    "överallt}.",
    "Soprummet är {överfullt|äckligt} {varje helg|hela tiden}.",
    "Ingen har städat {tvättstugan|källaren} på {veckor|länge}.",
};
static const char *const clean_sv_neu[] = {
    "Städningen är {ok|godkänd} men {fönstren i trapphuset|hissen} kunde "
    "tas oftare.",
};
static const char *const clean_sv_pos[] = {
    "Rent och snyggt i trapphuset{|, bra jobbat}.",
    "{Städaren|Lokalvårdaren} gör ett {jättebra|fint} jobb.",
};
static const char *const clean_en_neg[] = {
    "The stairwell is rarely cleaned.",
};
static const char *const clean_en_neu[] = {
    "Cleaning is okay, could be more often.",
};
static const char *const clean_en_pos[] = {
    "Clean and tidy stairwell, good job.",
};

static const char *const outdoor_sv_neg[] = {
    "{Gården|Lekplatsen} är {sliten|i dåligt skick} och ingen gör något.",
    "{Snöröjningen|Sandningen} {fungerar dåligt|kommer alltid för sent} på "
    "vintern.",
    "{Belysningen på gården|Lampan vid entrén} har varit trasig {länge|i "
    "veckor}, det känns otryggt.",
};
static const char *const outdoor_sv_neu[] = {
    "Gården är ok men {fler bänkar|mer grönska} vore trevligt.",
};
static const char *const outdoor_sv_pos[] = {
    "{Fin|Härlig} gård med {bra lekplats|mycket grönska}.",
    "Bra att ni {rustat upp gården|planterat nytt}{|, blev jättefint}.",
};
static const char *const outdoor_en_neg[] = {
    "The courtyard is run down and nobody does anything.",
};
static const char *const outdoor_en_neu[] = {
    "The courtyard is okay, a few more benches would be nice.",
};
static const char *const outdoor_en_pos[] = {
    "Lovely courtyard with lots of green.",
};

static const char *const disturb_sv_neg[] = {
    "Har anmält {störande grannar|fester mitt i natten} {flera gånger|i "
    "månader} utan att något händer.",
    "Känns otryggt i {trapphuset|källaren|garaget} på kvällarna.",
    "Störningsjouren {svarade inte|kom aldrig}.",
};
static const char *const disturb_sv_neu[] = {
    "De tog emot min anmälan men jag vet inte vad som händer nu.",
};
static const char *const disturb_sv_pos[] = {
    "Störningsjouren kom {snabbt|inom en halvtimme} och pratade med "
    "grannen{|, tack}.",
    "Bra att ni tog tag i {störningarna|problemen i trapphuset}.",
};
static const char *const disturb_en_neg[] = {
    "I have reported noisy neighbours {several times|for months} and nothing "
    "happens.",
};
static const char *const disturb_en_neu[] = {
    "They took my report, but I don't know what happens now.",
};
static const char *const disturb_en_pos[] = {
    "The on-call service came quickly and talked to the neighbour.",
};

/* ---- Förlängning/Uppsägning ---- */
static const char *const renew_sv_neg[] = {
    "Krångligt att {ladda upp studieintyg|visa studieresultat} för att få "
    "förlänga.",
    "Fick besked om förlängningen {väldigt sent|först efter påminnelse}.",
};
static const char *const renew_sv_neu[] = {
    "Förlängningen gick igenom men {det var oklart vilka papper som "
    "behövdes|det tog lite tid}.",
};
static const char *const renew_sv_pos[] = {
    "Enkelt att förlänga kontraktet{|, bara ladda upp intyget}.",
    "Smidig förlängning, {fick besked direkt|klart på en dag}.",
};
static const char *const renew_en_neg[] = {
    "Complicated to upload the study certificate to renew.",
};
static const char *const renew_en_neu[] = {
    "The renewal went through, but it was unclear what papers were needed.",
};
static const char *const renew_en_pos[] = {
    "Easy to renew my contract online.",
};

static const char *const notice_sv_neg[] = {
    "Krångligt att säga upp kontraktet, {går inte att göra digitalt fullt "
    "ut|fick skicka papper}.",
    "Ingen bekräftelse på uppsägningen{| förrän jag ringde}.",
};
static const char *const notice_sv_neu[] = {
    "Uppsägningen gick bra, {tre månaders uppsägningstid är lång|lite oklart "
    "hur avflyttningen går till}.",
};
static const char *const notice_sv_pos[] = {
    "Smidigt att säga upp med BankID{|, tydlig bekräftelse}.",
    "Enkelt att säga upp, {tack för tiden|bra information om "
    "avflyttningen}.",
};
static const char *const notice_en_neg[] = {
    "Hard to give notice, I had to send paper forms.",
};
static const char *const notice_en_neu[] = {
    "Giving notice was fine, three months is long though.",
};
static const char *const notice_en_pos[] = {
    "Easy to give notice with BankID.",
};

static const char *const insout_sv_neg[] = {
    "Besiktningsmannen var {otrevlig|orimligt petig} och {hittade fel som "
    "fanns redan när vi flyttade in|vill att vi betalar för normalt "
    "slitage}.",
    "Orimligt att debitera för {målning|golvslipning} efter @N år.",
};
static const char *const insout_sv_neu[] = {
    "Besiktningen gick ok, {några anmärkningar|lite osäker på vad vi ska "
    "betala}.",
};
static const char *const insout_sv_pos[] = {
    "{Schysst|Rättvis} besiktning, {tydlig genomgång|inga konstigheter}.",
    "Trevlig besiktningsman som {förklarade allt|var rimlig}.",
};
static const char *const insout_en_neg[] = {
    "The inspector wants us to pay for normal wear and tear.",
};
static const char *const insout_en_neu[] = {
    "The inspection was okay, a few remarks.",
};
static const char *const insout_en_pos[] = {
    "Fair move-out inspection, clearly explained.",
};

static const char *const settle_sv_neg[] = {
    "Depositionen {har inte kommit tillbaka|dröjer} trots {två månader|"
    "flera påminnelser}.",
    "Slutfakturan {var fel|innehöll avgifter jag inte förstår}.",
};
static const char *const settle_sv_neu[] = {
    "Slutavräkningen kom, {lite sent bara|oklart vad vissa poster var}.",
};
static const char *const settle_sv_pos[] = {
    "Fick tillbaka depositionen {snabbt|direkt}{|, tack}.",
    "Tydlig slutavräkning, inga konstigheter.",
};
static const char *const settle_en_neg[] = {
    "Still waiting for my deposit after two months.",
};
static const char *const settle_en_neu[] = {
    "The final statement came, a bit late.",
};
static const char *const settle_en_pos[] = {
    "Got my deposit back quickly, thanks.",
};

/* ---- general themes ---- */
static const char *const staff_sv_neg[] = {
    "{Otrevligt|Dåligt} bemötande{| från personalen}.",
    "Känns som att ni inte bryr er om oss hyresgäster.",
};
static const char *const staff_sv_neu[] = {
    "Personalen är {ok|trevlig} men {lite stressad|svår att få tag på}.",
};
static const char *const staff_sv_pos[] = {
    "Alltid trevligt bemötande{| från er}.",
    "Personalen är {jättetrevlig|fantastisk|hjälpsam}.",
};
static const char *const staff_en_neg[] = {
    "{Unfriendly|Rude} staff.",
    "It feels like you don't care about your tenants.",
};
static const char *const staff_en_neu[] = {
    "The staff are nice but hard to reach.",
};
static const char *const staff_en_pos[] = {
    "Always friendly staff.",
    "The staff are {great|very helpful}.",
};

static const char *const rent_sv_neg[] = {
    "Hyran höjs {varje år|igen} men {standarden blir sämre|inget blir "
    "bättre}.",
    "{För dyrt|Orimligt dyrt} för vad man får.",
};
static const char *const rent_sv_neu[] = {
    "Hyran är ok för området.",
};
static const char *const rent_sv_pos[] = {
    "Prisvärt boende{| för området}.",
};
static const char *const rent_en_neg[] = {
    "Too expensive for what you get.",
};
static const char *const rent_en_neu[] = {
    "The rent is okay for the area.",
};
static const char *const rent_en_pos[] = {
    "Good value for money.",
};

static const char *const info_sv_neg[] = {
    "{Dålig|Ingen} information om {renoveringen|vattenavstängningen|vad som "
    "händer}{| i huset}.",
    "Information kommer bara på svenska, svårt för {mina grannar|många i "
    "huset}.",
};
static const char *const info_sv_neu[] = {
    "Informationen kunde vara tydligare.",
};
static const char *const info_sv_pos[] = {
    "Bra information {i appen|på anslagstavlan}{| om vad som händer}.",
};
static const char *const info_en_neg[] = {
    "Information is only in Swedish, hard to follow.",
};
static const char *const info_en_neu[] = {
    "The information could be clearer.",
};
static const char *const info_en_pos[] = {
    "Good information about what's going on.",
};

#define T6(p)                                                                  \
    {                                                                          \
        {B(p##_sv_neg), B(p##_sv_neu), B(p##_sv_pos)},                         \
        {                                                                      \
            B(p##_en_neg), B(p##_en_neu), B(p##_en_pos)                        \
        }                                                                      \
    }

static const struct theme_bank themes[TH_N] = {
    [TH_SEARCH] = T6(search),
    [TH_QUEUE] = T6(queue),
    [TH_VIEWING] = T6(viewing),
    [TH_VIEWING_STAFF] = {{NONE, NONE, B(vstaff_sv_pos)},
                          {NONE, NONE, B(vstaff_en_pos)}},
    [TH_CONTRACT_DIGITAL] = T6(cdig),
    [TH_CONTRACT_OFFICE] = T6(coff),
    [TH_PAYMENT] = T6(pay),
    [TH_KEYS] = T6(keys),
    [TH_INSPECT_IN] = T6(insp),
    [TH_APP] = T6(app),
    [TH_LOGIN] = {{B(login_sv_neg), B(login_sv_neu), NONE},
                  {B(login_en_neg), B(login_en_neu), NONE}},
    [TH_FAULT] = T6(fault),
    [TH_FAULT_SLOW] = {{B(fslow_sv_neg), B(fslow_sv_neu), NONE},
                       {B(fslow_en_neg), B(fslow_en_neu), NONE}},
    [TH_FAULT_QUICK] = {{NONE, NONE, B(fquick_sv_pos)},
                        {NONE, NONE, B(fquick_en_pos)}},
    [TH_REPAIR] = T6(repair),
    [TH_SERVICE] = T6(service),
    [TH_LAUNDRY] = T6(laundry),
    [TH_CLEANING] = T6(clean),
    [TH_OUTDOOR] = T6(outdoor),
    [TH_DISTURBANCE] = T6(disturb),
    [TH_RENEWAL] = T6(renew),
    [TH_NOTICE] = T6(notice),
    [TH_INSPECT_OUT] = T6(insout),
    [TH_SETTLEMENT] = T6(settle),
    [TH_STAFF] = T6(staff),
    [TH_RENT] = T6(rent),
    [TH_INFO] = T6(info),
};

/* ---- around the statements ---- */
static const char *const open_sv_neg[] = {"Tyvärr inte nöjd.",
                                          "Besviken.",
                                          "Nu får det vara nog.",
                                          "Hej.",
                                          "Suck.",
                                          "Jag är trött på det här.",
                                          "Ärligt talat?"};
static const char *const open_sv_neu[] = {"Hej.", "Tja.",
                                          "Några synpunkter:", "Kort bara:"};
static const char *const open_sv_pos[] = {
    "Hej!", "Toppen!", "Bra jobbat!", "Vill bara säga tack.", "Mycket nöjd."};
static const char *const open_en_neg[] = {"Disappointed.", "Honestly?",
                                          "Not happy."};
static const char *const open_en_neu[] = {"Hi.", "A few thoughts:"};
static const char *const open_en_pos[] = {"Hi!", "Great job!"};

static const char *const close_sv_neg[] = {"Hoppas ni tar tag i det.",
                                           "Det här måste bli bättre.",
                                           "Funderar på att flytta.",
                                           "Förväntar mig återkoppling.",
                                           "Ring mig gärna.",
                                           "Skärpning!",
                                           "Inte okej."};
static const char *const close_sv_neu[] = {
    "Annars är allt ok.", "Mvh", "I övrigt trivs jag.", "Det är det enda."};
static const char *const close_sv_pos[] = {
    "Tack!", "Fortsätt så!", "Tack för bra service.", "Trivs jättebra här.",
    "Mvh en nöjd hyresgäst"};
static const char *const close_en_neg[] = {"Please fix this.",
                                           "Really disappointed."};
static const char *const close_en_neu[] = {"Otherwise all good."};
static const char *const close_en_pos[] = {"Thanks!", "Keep it up!"};

static const char *const short_sv_neg[] = {"Dåligt.",      "Katastrof.",
                                           "Usel service", "Under all kritik.",
                                           "Inte bra",     "Nej."};
static const char *const short_sv_neu[] = {"Ok", "Helt ok.", "Inget speciellt.",
                                           "Det funkar.",
                                           "Varken bra eller dåligt"};
static const char *const short_sv_pos[] = {
    "Bra!", "Toppen", "Inget att klaga på.", "Smidigt!", "Nöjd", "Jättebra"};
static const char *const short_en_neg[] = {"Bad.", "Terrible service"};
static const char *const short_en_neu[] = {"Ok", "Fine."};
static const char *const short_en_pos[] = {"Great!", "All good", "Perfect"};

static const char *const pii_sv[] = {
    "Ring mig på @PHONE.", "Nå mig på @PHONE eller @EMAIL.",
    "Mejla mig gärna: @EMAIL", "Mitt nummer är @PHONE om ni vill veta mer.",
    "Kontakta mig på @EMAIL"};
static const char *const pii_en[] = {"Call me on @PHONE.",
                                     "You can reach me at @EMAIL."};

static const struct theme_bank openings = T6(open);
static const struct theme_bank closings = T6(close);
static const struct theme_bank shorts = T6(short);

static const char *const emoji_neg[] = {"😡", "🙁", "😤", "🙄", "👎", "😞"};
static const char *const emoji_neu[] = {"🤷", "🙂"};
static const char *const emoji_pos[] = {"🙂", "😊", "👍", "🙏", "❤️", "😀"};

static const char *const first_names[] = {
    "anna",  "erik", "maria",  "lars",  "karin", "mohammed", "fatima",
    "johan", "emma", "oscar",  "elin",  "ali",   "sara",     "mikael",
    "eva",   "per",  "linnea", "ahmed", "sofia", "nils"};
static const char *const last_names[] = {
    "andersson", "johansson",  "karlsson",   "nilsson",
    "eriksson",  "larsson",    "olsson",     "persson",
    "svensson",  "gustafsson", "pettersson", "hassan",
    "lindberg",  "berg",       "lindqvist",  "oberg"};
static const char *const mail_domains[] = {
    "gmail.com", "hotmail.com", "outlook.com", "telia.com", "live.se"};

#define PICK(r, a) ((a)[rng_below((r), sizeof(a) / sizeof((a)[0]))])

/* ---- expansion ---- */

struct expand {
    struct strbuf *sb;
    struct rng *r;
    const struct demo_comment_ctx *c;
};

static void put(struct expand *x, const char *s)
{
    strbuf_puts(x->sb, s);
}

static void duration(struct expand *x)
{
    /* Upper bounds in hours, with how a tenant would say it. */
    static const struct {
        double below;
        const char *sv[2];
        const char *en;
    } d[] = {
        {8, {"några timmar", "några timmar"}, "a few hours"},
        {30, {"ett dygn", "en dag"}, "a day"},
        {60, {"två dagar", "två dagar"}, "two days"},
        {100, {"tre dagar", "några dagar"}, "a few days"},
        {168, {"nästan en vecka", "en vecka"}, "almost a week"},
        {300, {"över en vecka", "nästan två veckor"}, "over a week"},
        {450, {"två veckor", "över två veckor"}, "two weeks"},
        {650, {"tre veckor", "tre veckor"}, "three weeks"},
        {900, {"nästan en månad", "en månad"}, "a month"},
        {1e9, {"över en månad", "mer än en månad"}, "over a month"},
    };
    double h = x->c->res_hours;
    if (h < 0) {
        put(x, x->c->english ? "ages" : "flera veckor");
        return;
    }
    size_t i = 0;
    while (h >= d[i].below)
        i++;
    put(x, x->c->english ? d[i].en : d[i].sv[rng_below(x->r, 2)]);
}

static void phone(struct expand *x)
{
    static const char *const pre[] = {"70", "72", "73", "76"};
    const char *p = PICK(x->r, pre);
    unsigned n = (unsigned)rng_range(x->r, 1000000, 9999999);
    unsigned a = n / 10000, b = n / 100 % 100, c = n % 100;
    switch (rng_below(x->r, 3)) {
    case 0:
        strbuf_printf(x->sb, "0%s-%03u %02u %02u", p, a, b, c);
        break;
    case 1:
        strbuf_printf(x->sb, "0%s%07u", p, n);
        break;
    default:
        strbuf_printf(x->sb, "+46 %s %03u %02u %02u", p, a, b, c);
        break;
    }
}

static void email(struct expand *x)
{
    put(x, PICK(x->r, first_names));
    put(x, rng_bernoulli(x->r, 0.7) ? "." : "_");
    put(x, PICK(x->r, last_names));
    if (rng_bernoulli(x->r, 0.3))
        strbuf_printf(x->sb, "%d", (int)rng_range(x->r, 60, 99));
    put(x, "@");
    put(x, PICK(x->r, mail_domains));
}

static void slot(struct expand *x, const char *name, size_t n)
{
    const struct demo_comment_ctx *c = x->c;
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
    if (IS("OBJ")) {
        int o =
            c->fault_object >= 0 ? c->fault_object : (int)rng_below(x->r, 25);
        put(x,
            c->english ? demo_fault_objects[o].en : demo_fault_objects[o].sv);
    } else if (IS("DUR")) {
        duration(x);
    } else if (IS("STAFF")) {
        put(x, demo_teams[c->team].staff[rng_below(x->r, 2)]);
    } else if (IS("DIST")) {
        put(x, demo_districts[c->district].name);
    } else if (IS("N")) {
        strbuf_putc(x->sb, (char)('2' + rng_below(x->r, 8)));
    } else if (IS("WAIT")) {
        static const char *const sv[] = {"40 minuter", "45 minuter",
                                         "över en timme", "en halvtimme",
                                         "50 min"};
        static const char *const en[] = {"40 minutes", "over an hour",
                                         "half an hour"};
        put(x, c->english ? PICK(x->r, en) : PICK(x->r, sv));
    } else if (IS("PHONE")) {
        phone(x);
    } else if (IS("EMAIL")) {
        email(x);
    }
#undef IS
}

/* Skips one alternative: returns the '|' or '}' that ends it, at this
 * nesting level, or the end of the string. */
static const char *skip_alt(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '{')
            depth++;
        else if (*p == '}' && depth-- == 0)
            return p;
        else if (*p == '|' && depth == 0)
            return p;
    }
    return p;
}

/* Expands from p up to the end of the current alternative; returns where
 * it stopped ('|', '}' or the end). */
static const char *expand_seq(struct expand *x, const char *p)
{
    while (*p && *p != '|' && *p != '}') {
        if (*p == '{') {
            const char *q = p + 1;
            size_t alts = 1;
            for (const char *e = q; *(e = skip_alt(e)) == '|'; e++)
                alts++;
            size_t k = (size_t)rng_below(x->r, alts);
            for (size_t i = 0; i < k; i++)
                q = skip_alt(q) + 1;
            q = expand_seq(x, q);
            while (*q == '|')
                q = skip_alt(q + 1);
            p = *q == '}' ? q + 1 : q;
        } else if (*p == '@') {
            const char *s = ++p;
            while (*p >= 'A' && *p <= 'Z')
                p++;
            slot(x, s, (size_t)(p - s));
        } else {
            const char *s = p;
            while (*p && *p != '{' && *p != '|' && *p != '}' && *p != '@')
                p++;
            strbuf_add(x->sb, s, (size_t)(p - s));
        }
    }
    return p;
}

/* Upper-cases the letter at sb->p[at] (ASCII, å, ä, ö). */
static void upper_at(struct strbuf *sb, size_t at)
{
    unsigned char *s = (unsigned char *)sb->p;
    if (at >= sb->n)
        return;
    if (s[at] >= 'a' && s[at] <= 'z')
        s[at] = (unsigned char)(s[at] - 32);
    else if (s[at] == 0xc3 && at + 1 < sb->n &&
             (s[at + 1] == 0xa5 || s[at + 1] == 0xa4 || s[at + 1] == 0xb6))
        s[at + 1] = (unsigned char)(s[at + 1] - 0x20);
}

static void lower_at(struct strbuf *sb, size_t at)
{
    unsigned char *s = (unsigned char *)sb->p;
    if (at < sb->n && s[at] >= 'A' && s[at] <= 'Z')
        s[at] = (unsigned char)(s[at] + 32);
}

static const struct bank *bank_of(const struct theme_bank *t, int english,
                                  int sent)
{
    const struct bank *b = english ? &t->en[sent] : &t->sv[sent];
    return b->n ? b : NULL;
}

/* Appends one sentence from bank b, separated from what came before. */
static void sentence(struct expand *x, const struct bank *b)
{
    if (x->sb->n)
        strbuf_putc(x->sb, rng_bernoulli(x->r, 0.02) ? '\n' : ' ');
    size_t at = x->sb->n;
    expand_seq(x, b->p[rng_below(x->r, b->n)]);
    upper_at(x->sb, at);
}

static int choose_theme(struct rng *r, const struct demo_comment_ctx *c)
{
    const struct demo_touchpoint *tp = &demo_touchpoints[c->tp];
    int s = c->sentiment;
    if (tp->channel == CH_APP && s != SENT_POS &&
        rng_bernoulli(r, c->login_broken ? 0.85 : 0.05))
        return TH_LOGIN;
    if (c->tp == TP_VISNING && s == SENT_POS &&
        rng_bernoulli(r, c->team == TEAM_NORR ? 0.75 : 0.10))
        return TH_VIEWING_STAFF;
    if (c->tp == TP_FELANMALAN_APP || c->tp == TP_FELANMALAN_TEL ||
        c->tp == TP_REPARATION) {
        if (c->res_hours > 120 && s != SENT_POS && rng_bernoulli(r, 0.8))
            return TH_FAULT_SLOW;
        if (c->res_hours >= 0 && c->res_hours <= 48 && s == SENT_POS &&
            rng_bernoulli(r, 0.6))
            return TH_FAULT_QUICK;
    }
    if (rng_bernoulli(r, 0.78))
        return tp->theme;
    if (tp->physical || tp->channel == CH_PHONE)
        return rng_bernoulli(r, 0.6) ? TH_STAFF : TH_INFO;
    return tp->stage == ST_BOENDE && rng_bernoulli(r, 0.5) ? TH_RENT : TH_INFO;
}

static void strip_diacritics(struct strbuf *sb)
{
    unsigned char *s = (unsigned char *)sb->p;
    size_t j = 0;
    for (size_t i = 0; i < sb->n; i++) {
        if (s[i] == 0xc3 && i + 1 < sb->n) {
            unsigned char c = s[i + 1];
            char rep = c == 0xa5 || c == 0xa4   ? 'a'
                       : c == 0xb6              ? 'o'
                       : c == 0x85 || c == 0x84 ? 'A'
                       : c == 0x96              ? 'O'
                                                : 0;
            if (rep) {
                s[j++] = (unsigned char)rep;
                i++;
                continue;
            }
        }
        s[j++] = s[i];
    }
    sb->n = j;
    sb->p[j] = 0;
}

static int ascii_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

/* One slip of the finger: two letters swapped, one left out or one
 * doubled, at an ASCII letter so UTF-8 stays intact. */
static void typo(struct strbuf *sb, struct rng *r)
{
    unsigned char *s = (unsigned char *)sb->p;
    if (sb->n < 8)
        return;
    size_t i = 1 + (size_t)rng_below(r, sb->n - 3);
    for (; i + 2 < sb->n; i++)
        if (ascii_lower(s[i]) && ascii_lower(s[i + 1]) && s[i] != s[i + 1])
            break;
    if (i + 2 >= sb->n)
        return;
    switch (rng_below(r, 3)) {
    case 0: {
        unsigned char t = s[i];
        s[i] = s[i + 1];
        s[i + 1] = t;
        break;
    }
    case 1:
        memmove(s + i, s + i + 1, sb->n - i);
        sb->n--;
        break;
    default: /* grow by one, then shift the tail right over it */
        strbuf_putc(sb, 0);
        s = (unsigned char *)sb->p;
        memmove(s + i + 1, s + i, sb->n - i - 1);
        break;
    }
}

static void finish(struct strbuf *sb, struct rng *r, int sent, int english)
{
    if (!sb->n)
        return;
    char *last = &sb->p[sb->n - 1];
    if (*last == '.') {
        double u = rng_uniform(r);
        if (u < 0.15) {
            sb->n--;
            sb->p[sb->n] = 0;
        } else if (sent == SENT_POS && u < 0.35) {
            *last = '!';
        } else if (sent == SENT_NEG && u < 0.25) {
            strbuf_puts(sb, "..");
        } else if (sent == SENT_NEG && u < 0.30) {
            *last = '!';
        }
    }
    if (rng_bernoulli(r, 0.07))
        lower_at(sb, 0);
    if (rng_bernoulli(r, 0.06))
        typo(sb, r);
    if (!english && rng_bernoulli(r, 0.02))
        strip_diacritics(sb);
    if (rng_bernoulli(r, 0.06)) {
        strbuf_putc(sb, ' ');
        strbuf_puts(sb, sent == SENT_NEG   ? PICK(r, emoji_neg)
                        : sent == SENT_NEU ? PICK(r, emoji_neu)
                                           : PICK(r, emoji_pos));
    }
}

void demo_comment_compose(struct strbuf *sb, struct rng *r,
                          const struct demo_comment_ctx *c)
{
    struct expand x = {sb, r, c};
    int s = c->sentiment, en = c->english;
    strbuf_reset(sb);

    if (!(c->login_broken && s != SENT_POS) && rng_bernoulli(r, 0.12)) {
        sentence(&x, bank_of(&shorts, en, s));
        finish(sb, r, s, en);
        return;
    }
    if (rng_bernoulli(r, 0.18))
        sentence(&x, bank_of(&openings, en, s));
    int th = choose_theme(r, c);
    const struct bank *b = bank_of(&themes[th], en, s);
    if (!b) /* no such statement (a happy login): a general one */
        b = bank_of(&themes[TH_STAFF], en, s);
    sentence(&x, b);
    if (rng_bernoulli(r, 0.22)) {
        int th2 = choose_theme(r, c);
        const struct bank *b2 = bank_of(&themes[th2], en, s);
        if (b2 && th2 != th)
            sentence(&x, b2);
    }
    if (rng_bernoulli(r, 0.22))
        sentence(&x, bank_of(&closings, en, s));
    if (rng_bernoulli(r, s == SENT_NEG ? 0.03 : 0.01)) {
        struct bank pii = en ? (struct bank)B(pii_en) : (struct bank)B(pii_sv);
        sentence(&x, &pii);
    }
    finish(sb, r, s, en);
}
