package app.noom.config;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.config.LogSettings.Format;
import app.noom.config.LogSettings.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSettingsTest {

    @Test
    void unsetOrBlankMeansTextAtInfo() {
        assertEquals(
                new LogSettings(Format.TEXT, Level.INFO),
                NoomConfig.fromEnv(Map.of()).logging());
        assertEquals(
                new LogSettings(Format.TEXT, Level.INFO),
                LogSettings.fromEnv(Map.of("LOG_FORMAT", " ", "LOG_LEVEL", "")));
    }

    @ParameterizedTest
    @CsvSource({"json,debug,JSON,DEBUG", "TEXT,WARN,TEXT,WARN", " Json , Trace ,JSON,TRACE", "text,error,TEXT,ERROR"})
    void valuesAreReadWhateverTheirCase(String format, String level, Format expectedFormat, Level expectedLevel) {
        LogSettings settings = NoomConfig.fromEnv(Map.of("LOG_FORMAT", format, "LOG_LEVEL", level))
                .logging();
        assertEquals(new LogSettings(expectedFormat, expectedLevel), settings);
    }

    @ParameterizedTest
    @CsvSource({
        "LOG_FORMAT,xml,text|json",
        "LOG_FORMAT,logfmt,text|json",
        "LOG_LEVEL,verbose,error|warn|info|debug|trace",
        "LOG_LEVEL,warning,error|warn|info|debug|trace"
    })
    void aBadValueIsRefusedNamingTheVariableAndTheChoices(String variable, String value, String choices) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NoomConfig.fromEnv(Map.of(variable, value)));
        assertEquals(variable + " must be one of " + choices + ", got '" + value + "'", e.getMessage());
    }

    @Test
    void theLoggingBackEndFallsBackToTheDefaultsOnABadValueWhichTheConfigurationCheckThenReports() {
        assertEquals(
                LogSettings.DEFAULTS, LogSettings.fromEnvOrDefaults(Map.of("LOG_FORMAT", "xml", "LOG_LEVEL", "debug")));
    }

    @Test
    void theStartUpLineShowsTheLogSettings() {
        assertTrue(NoomConfig.fromEnv(Map.of("LOG_FORMAT", "json"))
                .toString()
                .contains("logging=LogSettings[format=json, level=info]"));
    }
}
