package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.orderexport.stack.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedule stand-in against a small template with every kind of schedule event. */
class SchedulesTest {

    static final String SNIPPET = """
            Globals:
              Function:
                Timeout: 29
            Resources:
              SweeperFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: com.example.Sweeper::handleRequest
                  Timeout: 60
                  Events:
                    EveryFiveMinutes:
                      Type: Schedule
                      Properties:
                        Schedule: rate(5 minutes)
                    Hourly:
                      Type: ScheduleV2
                      Properties:
                        ScheduleExpression: rate(1 hour)
                    Nightly:
                      Type: Schedule
                      Properties:
                        Schedule: cron(0 3 * * ? *)
                    Paused:
                      Type: Schedule
                      Properties:
                        Schedule: rate(1 minute)
                        Enabled: false
                    Off:
                      Type: ScheduleV2
                      Properties:
                        ScheduleExpression: rate(1 minute)
                        State: DISABLED
              OtherFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: com.example.Other::handleRequest
              NotAFunction:
                Type: AWS::SQS::Queue
            """;

    @Test
    void theTemplatesEnabledRateSchedules_runAtTheirRatesAndCronIsLeftOut(@TempDir Path dir) throws Exception {
        List<Schedules.Schedule> schedules = Schedules.of(template(dir), Optional.empty());

        assertThat(schedules).containsExactly(
                new Schedules.Schedule("SweeperFunction", "EveryFiveMinutes", "rate(5 minutes)", Duration.ofMinutes(5), false),
                new Schedules.Schedule("SweeperFunction", "Hourly", "rate(1 hour)", Duration.ofHours(1), true));
    }

    @Test
    void theRealTemplatesSweeper_runsAtItsScheduleParametersDefault_andTheScheduleRunnerEveryMinute() {
        List<Schedules.Schedule> schedules = Schedules.of(com.orderexport.stack.Template.load(), Optional.empty());

        assertThat(schedules).containsExactlyInAnyOrder(
                new Schedules.Schedule("SweeperFunction", "Sweep", "rate(5 minutes)", Duration.ofMinutes(5), false),
                new Schedules.Schedule("ScheduleRunnerFunction", "Tick", "rate(1 minute)", Duration.ofMinutes(1), false));
    }

    @Test
    void scheduleEvery_replacesEveryIntervalAndRunsCronToo(@TempDir Path dir) throws Exception {
        List<Schedules.Schedule> schedules = Schedules.of(template(dir), Optional.of(Duration.ofSeconds(2)));

        assertThat(schedules).extracting(Schedules.Schedule::eventName).containsExactly("EveryFiveMinutes", "Nightly", "Hourly");
        assertThat(schedules).extracting(Schedules.Schedule::interval).containsOnly(Duration.ofSeconds(2));
    }

    @Test
    void rates_readEveryUnitAndRefuseWhatIsNotARate() {
        assertThat(Schedules.rateOf("rate(1 minute)")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Schedules.rateOf("rate(10 minutes)")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Schedules.rateOf("rate(30 seconds)")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Schedules.rateOf("rate(2 hours)")).isEqualTo(Duration.ofHours(2));
        assertThat(Schedules.rateOf("rate(1 day)")).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> Schedules.rateOf("rate(0 minutes)")).hasMessageContaining("rate(0 minutes)");
        assertThatThrownBy(() -> Schedules.rateOf("rate(5 fortnights)")).hasMessageContaining("use rate(N minutes)");
        assertThatThrownBy(() -> Schedules.rateOf("every 5 minutes")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSchedule_invokesItsFunctionWithAScheduledEventAgainAndAgain() {
        List<ScheduledEvent> received = new CopyOnWriteArrayList<>();
        List<Integer> remaining = new CopyOnWriteArrayList<>();
        RequestHandler<ScheduledEvent, Void> sweeper = (event, context) -> {
            received.add(event);
            remaining.add(context.getRemainingTimeInMillis());
            return null;
        };
        Schedules.Schedule schedule = new Schedules.Schedule("SweeperFunction", "EveryFiveMinutes", "rate(5 minutes)",
                Duration.ofMillis(50), false);

        try (Schedules clocks = new Schedules(List.of(schedule), id -> sweeper,
                id -> new LocalContext(id, Duration.ofSeconds(60), 128))) {
            clocks.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
        }

        ScheduledEvent event = received.get(0);
        assertThat(event.getSource()).isEqualTo("aws.events");
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getResources()).singleElement().asString().contains("SweeperFunction");
        assertThat(event.getTime().getMillis()).isCloseTo(Instant.now().toEpochMilli(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(received).extracting(ScheduledEvent::getId).doesNotHaveDuplicates();
        assertThat(remaining).allSatisfy(ms -> assertThat(ms).isBetween(50_000, 60_000));
    }

    private static Template template(Path dir) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, SNIPPET);
        return Template.load(file);
    }
}
