package io.capxai.wordnet;

import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.dictionary.Dictionary;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WordNet 3.0 (the data jar {@code net.sf.extjwnl:extjwnl-data-wn30}, read by extjwnl): resolves
 * concepts to {@link Concept}s. WordNet 3.0 because its noun offsets are ImageNet's class ids.
 *
 * <p>A concept can be named three ways:
 * <ul>
 *   <li>a synset id {@code n02084071} (POS letter + 8-digit offset, as ImageNet writes it);</li>
 *   <li>an NLTK-style name {@code bird.n.01} (lemma, POS letter, 1-based sense number);</li>
 *   <li>a plain word or phrase ({@code "dog"}, {@code "hunting dog"}, {@code "hunting_dog"}): its first
 *       noun sense, or sense {@code n} with {@link #sense(String, int)}.</li>
 * </ul>
 * One instance per JVM ({@link #get()}): loading the dictionary takes a moment.
 */
public final class WordNet {
    private static final String WN30 = "/net/sf/extjwnl/data/wordnet/wn30/res_properties.xml";
    private static final Pattern SYNSET_ID = Pattern.compile("([nvars])(\\d{8})");
    private static final Pattern NLTK_NAME = Pattern.compile("(.+)\\.([nvars])\\.(\\d{1,3})");
    private static WordNet instance;

    private final Dictionary dictionary;

    private WordNet(Dictionary dictionary) {
        this.dictionary = dictionary;
    }

    /** The shared WordNet 3.0 instance (loaded on first use). */
    public static synchronized WordNet get() {
        if (instance == null) {
            try {
                instance = new WordNet(Dictionary.getResourceInstance(WN30));
            } catch (JWNLException e) {
                throw new WordNetException("cannot load WordNet 3.0 from the classpath resource " + WN30
                        + " (is net.sf.extjwnl:extjwnl-data-wn30 on the classpath?)", e);
            }
        }
        return instance;
    }

    /**
     * Any of the three forms: synset id ({@code n02084071}), NLTK name ({@code dog.n.01}) or a word
     * (first noun sense).
     */
    public Concept resolve(String concept) {
        if (concept == null || concept.isBlank()) {
            throw new WordNetException("empty concept name");
        }
        String s = concept.strip();
        Matcher id = SYNSET_ID.matcher(s);
        if (id.matches()) {
            return synset(s);
        }
        Matcher nltk = NLTK_NAME.matcher(s);
        if (nltk.matches()) {
            return sense(nltk.group(1), pos(nltk.group(2).charAt(0)), Integer.parseInt(nltk.group(3)));
        }
        return sense(s, 1);
    }

    /** The synset with id {@code n02084071} (POS letter n/v/a/r/s + 8-digit WordNet 3.0 offset). */
    public Concept synset(String synsetId) {
        Matcher m = SYNSET_ID.matcher(synsetId.strip());
        if (!m.matches()) {
            throw new WordNetException("not a synset id (expected a POS letter and 8 digits, e.g. n02084071): '"
                    + synsetId + "'");
        }
        POS pos = pos(m.group(1).charAt(0));
        long offset = Long.parseLong(m.group(2));
        Synset synset;
        try {
            synset = dictionary.getSynsetAt(pos, offset);
        } catch (JWNLException | RuntimeException e) {
            throw new WordNetException("no WordNet 3.0 synset " + synsetId + ": " + e.getMessage(), e);
        }
        if (synset == null) {
            throw new WordNetException("no WordNet 3.0 synset " + synsetId);
        }
        return new Concept(this, synset);
    }

    /** Noun sense {@code senseNumber} (1-based, WordNet's sense order) of {@code word}. */
    public Concept sense(String word, int senseNumber) {
        return sense(word, POS.NOUN, senseNumber);
    }

    private Concept sense(String word, POS pos, int senseNumber) {
        String lemma = word.strip().replace('_', ' ').toLowerCase(Locale.ROOT);
        IndexWord index;
        try {
            index = dictionary.getIndexWord(pos, lemma);
        } catch (JWNLException e) {
            throw new WordNetException("cannot look up '" + word + "' in WordNet: " + e.getMessage(), e);
        }
        if (index == null) {
            throw new WordNetException("'" + word + "' is not a " + pos.getLabel() + " in WordNet 3.0");
        }
        int senses = index.getSenses().size();
        if (senseNumber < 1 || senseNumber > senses) {
            throw new WordNetException("'" + word + "' has " + senses + " " + pos.getLabel() + " sense(s) in WordNet 3.0,"
                    + " no sense " + senseNumber);
        }
        return new Concept(this, index.getSenses().get(senseNumber - 1));
    }

    /** Every noun sense of {@code word} in WordNet's sense order; empty when it is not a noun. */
    public java.util.List<Concept> nounSenses(String word) {
        String lemma = word.strip().replace('_', ' ').toLowerCase(Locale.ROOT);
        try {
            IndexWord index = dictionary.getIndexWord(POS.NOUN, lemma);
            return index == null ? java.util.List.of()
                    : index.getSenses().stream().map(s -> new Concept(this, s)).toList();
        } catch (JWNLException e) {
            throw new WordNetException("cannot look up '" + word + "' in WordNet: " + e.getMessage(), e);
        }
    }

    /** All 82,115 noun synsets of WordNet 3.0, in file (offset) order. */
    public java.util.List<Concept> allNouns() {
        java.util.List<Concept> out = new java.util.ArrayList<>();
        try {
            java.util.Iterator<Synset> it = dictionary.getSynsetIterator(POS.NOUN);
            while (it.hasNext()) {
                out.add(new Concept(this, it.next()));
            }
        } catch (JWNLException e) {
            throw new WordNetException("cannot list the noun synsets: " + e.getMessage(), e);
        }
        return out;
    }

    /** The 1-based sense number of {@code synset} among the senses of {@code lemma} (for NLTK names). */
    int senseNumber(String lemma, Synset synset) {
        try {
            IndexWord index = dictionary.getIndexWord(synset.getPOS(), lemma);
            if (index != null) {
                int i = index.getSenses().indexOf(synset);
                if (i >= 0) {
                    return i + 1;
                }
            }
        } catch (JWNLException e) {
            throw new WordNetException("cannot look up '" + lemma + "' in WordNet: " + e.getMessage(), e);
        }
        return 1;
    }

    private static POS pos(char letter) {
        return switch (letter) {
            case 'n' -> POS.NOUN;
            case 'v' -> POS.VERB;
            case 'a', 's' -> POS.ADJECTIVE;
            case 'r' -> POS.ADVERB;
            default -> throw new WordNetException("unknown part of speech '" + letter + "' (expected n, v, a, s or r)");
        };
    }
}
