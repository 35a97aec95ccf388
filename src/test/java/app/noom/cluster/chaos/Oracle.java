package app.noom.cluster.chaos;

import java.util.ArrayList;
import java.util.List;

/** Every invariant over one run's transcripts. */
final class Oracle {
    private Oracle() {}

    static List<Violation> check(History h) {
        h.sessions().forEach(SessionLog::freeze);
        List<Violation> all = new ArrayList<>();
        all.addAll(SeqCheck.check(h));
        all.addAll(DeliveryCheck.check(h));
        all.addAll(MembershipCheck.check(h));
        all.addAll(RoomOrderCheck.check(h));
        all.addAll(AccessCheck.check(h));
        all.addAll(AllOrNothingCheck.check(h));
        all.addAll(RequestOrderCheck.check(h));
        return all;
    }
}
