package app.noom.browser;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ThreeWayMeshTest {
    @RegisterExtension
    static final NoomServer server = new NoomServer();

    @RegisterExtension
    final Browsers browsers = Browsers.perTest();

    @Test
    void threeBrowsersFormAFullMeshAndEachDecodesBothOthers() {
        List<CallPage> pages = browsers.launch("Ada", "Grace", "Linus");
        for (CallPage page : pages) page.join(server.baseUrl(), "three-way");

        for (CallPage receiver : pages) {
            for (CallPage sender : pages) {
                if (receiver != sender) receiver.assertDecodesVideoFrom(sender);
            }
        }
    }
}
