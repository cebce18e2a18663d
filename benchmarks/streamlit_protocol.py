"""A minimal Streamlit client that speaks the browser's websocket protocol, for load tests of the server alone.

A workshop's participants run their browsers on their own phones and laptops; only the server runs on the
facilitator's laptop. This client does what the browser's JavaScript does on the wire and nothing more: it opens
``/_stcore/stream``, asks for a run (``BackMsg.rerun_script`` with the page address and the widget values), and reads
the ``ForwardMsg`` stream until the server reports the run finished. It keeps the page address the app writes (as
the browser does) and the value of every slider it has moved, so each rerun carries the same state a browser would.

It also clicks buttons (:meth:`ProtocolSession.click`, :meth:`ProtocolSession.submit`: a trigger sent with one run
only, as the browser does), types into text inputs (:meth:`ProtocolSession.type`), and polls a page's
``st.fragment(run_every=...)`` as the browser's timer does (:meth:`ProtocolSession.poll`: a rerun of the fragment
alone; when the fragment calls ``st.rerun()``, the server runs the whole page next and this client reads on to its
end). Each :class:`RunReport` keeps what the run drew: buttons, text inputs, charts, and the text of markdown,
headings, alerts and metrics, so a test can check what a participant sees.

Widget ids are Streamlit's: ``$$ID-<hash>-<user key>`` (``streamlit.elements.lib.utils._compute_element_id``), so a
widget is found by its key; a form's submit button without a key has the key ``FormSubmitter:<form>-<label>``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect


@dataclass
class Slider:
    id: str
    label: str
    low: float
    high: float
    step: float
    value: float
    options: tuple[str, ...] = ()  # a select slider's option labels: then low, high, step and value are indices


@dataclass
class Button:
    id: str
    label: str
    form_id: str = ""
    is_form_submitter: bool = False


@dataclass
class Metric:
    label: str
    value: str


@dataclass
class RunReport:
    """What one script run sent back: how long it took and what it drew (a fragment run draws only its fragment;
    ``fragment`` says so)."""

    seconds: float
    charts: dict[str, str]  # element id (it holds the widget key) -> the figure's JSON
    errors: list[str]
    status: int
    buttons: dict[str, Button] = field(default_factory=dict)  # element id -> the button (form submitters too)
    text_inputs: dict[str, str] = field(default_factory=dict)  # element id -> label
    toggles: dict[str, str] = field(default_factory=dict)  # element id -> label (checkboxes and toggles)
    texts: list[str] = field(default_factory=list)  # markdown, caption, heading and alert bodies, in drawing order
    metrics: list[Metric] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (error|warning|info|success, body)
    fragment: bool = False  # True: a rerun of a fragment alone (the rest of the page was not drawn again)

    def chart(self, key: str) -> str:
        """The JSON of the chart whose key is ``key``."""
        return next(spec for element_id, spec in self.charts.items() if element_id.endswith(f"-{key}"))

    @property
    def text(self) -> str:
        """Everything the run wrote, one element a line (metrics as ``label: value``)."""
        return "\n".join([*self.texts, *(f"{m.label}: {m.value}" for m in self.metrics)])

    def has_button(self, key: str) -> bool:
        return any(element_id.endswith(f"-{key}") for element_id in self.buttons)

    def metric(self, label_start: str) -> Metric:
        """The first metric whose label starts with ``label_start``."""
        return next(m for m in self.metrics if m.label.startswith(label_start))


@dataclass
class ProtocolSession:
    """One participant's session over a websocket (``async with ProtocolSession(url) as s``)."""

    url: str
    query_string: str = ""
    sliders: dict[str, Slider] = field(default_factory=dict)
    moved: dict[str, WidgetState] = field(default_factory=dict)
    buttons: dict[str, Button] = field(default_factory=dict)  # every button drawn by the last full run
    text_inputs: dict[str, str] = field(default_factory=dict)  # element id -> label, from the last full run
    toggles: dict[str, str] = field(default_factory=dict)  # checkboxes and toggles: element id -> label
    fragments: dict[str, float] = field(default_factory=dict)  # auto-rerun fragment id -> interval (s)
    last: RunReport | None = None  # the last run that drew the whole page
    _triggers: dict[str, WidgetState] = field(default_factory=dict)  # sent with the next run only
    _ws: ClientConnection | None = None

    async def __aenter__(self) -> ProtocolSession:
        ws_url = self.url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self._ws = await connect(ws_url, subprotocols=["streamlit"], origin=self.url.rstrip("/"), max_size=2**26,
                                 open_timeout=60, ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def run(self, timeout: float = 120.0, fragment_id: str = "") -> RunReport:
        """Ask for a rerun with the current address and widget values (and the clicks made since the last run);
        read until the run finishes. With ``fragment_id``, rerun that fragment alone, as its ``run_every`` timer
        does in the browser. A run the app ends with ``st.rerun()`` is followed by the next one: this reads on
        until the page is drawn (the report is of the last run)."""
        assert self._ws is not None
        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_script_hash = ""
        back.rerun_script.widget_states.widgets.extend([*self.moved.values(), *self._triggers.values()])
        if fragment_id:
            back.rerun_script.fragment_id = fragment_id
            back.rerun_script.is_auto_rerun = True
        self._triggers = {}  # a click is sent once, as the browser does
        start = time.perf_counter()
        await self._ws.send(back.SerializeToString())
        report = RunReport(0.0, {}, [], 0)
        fragments: dict[str, float] = {}
        while True:
            data = await _receive(self._ws, start + timeout)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # a run starts: what it draws replaces what an earlier one drew
                report, fragments = RunReport(0.0, {}, [], 0), {}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._draw(msg.delta.new_element, report)
            elif kind == "auto_rerun":
                fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for stopped in msg.stop_auto_rerun.fragment_ids:
                    self.fragments.pop(stopped, None)
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the next run follows on the same stream
                report.seconds, report.status = time.perf_counter() - start, msg.script_finished
                report.fragment = msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                if not report.fragment:  # the whole page was drawn: its widgets and timers are the page's now
                    self.buttons, self.text_inputs, self.fragments = report.buttons, report.text_inputs, fragments
                    self.toggles = report.toggles
                    self.last = report
                return report

    def _draw(self, element, report: RunReport) -> None:
        what = element.WhichOneof("type")
        if what == "plotly_chart":
            report.charts[element.plotly_chart.id] = element.plotly_chart.spec
        elif what == "slider":
            self._remember(element.slider)
        elif what == "button":
            b = element.button
            report.buttons[b.id] = Button(b.id, b.label, b.form_id, b.is_form_submitter)
        elif what == "text_input":
            report.text_inputs[element.text_input.id] = element.text_input.label
        elif what == "checkbox":
            report.toggles[element.checkbox.id] = element.checkbox.label
        elif what == "markdown":
            if not element.markdown.body.lstrip().startswith("<style"):  # the page's CSS is not text
                report.texts.append(element.markdown.body)
        elif what == "heading":
            report.texts.append(element.heading.body)
        elif what == "metric":
            report.metrics.append(Metric(element.metric.label, element.metric.body))
        elif what == "alert":
            alert = element.alert
            report.texts.append(alert.body)
            report.alerts.append((alert.Format.Name(alert.format).lower(), alert.body))
            if alert.format == alert.ERROR:
                report.errors.append(alert.body)
        elif what == "exception":
            report.errors.append(element.exception.message)

    @property
    def every(self) -> float | None:
        """Seconds between the page's own polls (its ``run_every`` fragment), None when it has none."""
        return next(iter(self.fragments.values()), None)

    async def poll(self, timeout: float = 120.0) -> RunReport:
        """What the page's ``st.fragment(run_every=...)`` timer does in the browser: rerun that fragment alone (a
        full run when the page has no such fragment)."""
        return await self.run(timeout, fragment_id=next(iter(self.fragments), ""))

    def _widget(self, widgets: dict, key: str) -> str:
        hits = [element_id for element_id in widgets if element_id.endswith(f"-{key}")]
        if len(hits) != 1:
            raise KeyError(f"{key!r}: {'no' if not hits else 'more than one'} widget with this key on the page")
        return hits[0]

    def trigger(self, widget_id: str) -> None:
        """Send a button press for ``widget_id`` with the next run (whether or not the page drew it)."""
        self._triggers[widget_id] = WidgetState(id=widget_id, trigger_value=True)

    def click(self, key: str) -> None:
        """Press the button with widget key ``key`` (drawn by the last full run); the press goes with the next run."""
        self.trigger(self._widget(self.buttons, key))

    def submit(self, form: str) -> None:
        """Press the submit button of form ``form`` (its text inputs' typed values go with the same run)."""
        ids = [b.id for b in self.buttons.values() if b.is_form_submitter and b.form_id == form]
        if len(ids) != 1:
            raise KeyError(f"form {form!r}: no submit button on the page")
        self.trigger(ids[0])

    def type(self, key: str, text: str) -> None:
        """Type ``text`` into the text input with widget key ``key`` (kept for every later run, as the browser
        does)."""
        widget_id = self._widget(self.text_inputs, key)
        self.moved[widget_id] = WidgetState(id=widget_id, string_value=text)

    def switch(self, key: str, on: bool) -> None:
        """Set the checkbox or toggle with widget key ``key`` (kept for every later run, as the browser does)."""
        widget_id = self._widget(self.toggles, key)
        self.moved[widget_id] = WidgetState(id=widget_id, bool_value=on)

    def _remember(self, proto) -> None:
        if proto.data_type not in (proto.DataType.FLOAT, proto.DataType.INT) or len(proto.default) != 1:
            return
        # As the browser does: the server's value wins when it sets one, else the value this client holds.
        known = self.sliders.get(proto.label)
        if proto.set_value and proto.value:
            value = proto.value[0]
        elif known is not None and known.id == proto.id:
            value = known.value
        else:
            value = proto.default[0]
        if proto.options:  # a select slider (the app's sliders of fractions): its value is an option's index
            slider = Slider(proto.id, proto.label, 0, len(proto.options) - 1, 1, value, tuple(proto.options))
        else:
            slider = Slider(proto.id, proto.label, proto.min, proto.max, proto.step, value)
        self.sliders[proto.label] = slider

    def slider(self, key: str) -> Slider:
        """The slider with widget key ``key`` (labels change with the language; keys do not; the app's sliders of
        fractions carry the language in their key, ``w:trust.initial:en``, which this finds from ``w:trust.initial``)."""
        return next(s for s in self.sliders.values() if s.id.endswith(f"-{key}") or s.id.rsplit(":", 1)[0].endswith(f"-{key}"))

    def move(self, label: str, steps: int) -> float:
        """Move a slider (by label, or ``key:<widget key>``) by whole steps within its range, as an arrow key
        does; returns its new value."""
        slider = self.slider(label[4:]) if label.startswith("key:") else self.sliders[label]
        value = min(slider.high, max(slider.low, round(slider.value + steps * slider.step, 10)))
        if value == slider.value:
            value = min(slider.high, max(slider.low, round(slider.value - steps * slider.step, 10)))
        state = WidgetState(id=slider.id)
        if slider.options:  # a select slider sends the chosen option's label
            state.string_array_value.data[:] = [slider.options[int(value)]]
        else:
            state.double_array_value.data[:] = [value]
        self.moved[slider.id] = state
        slider.value = value
        return value


async def _receive(ws: ClientConnection, deadline: float) -> bytes:
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        raise TimeoutError("the server did not finish the run in time")
    data = await asyncio.wait_for(ws.recv(), timeout=remaining)
    if isinstance(data, str):
        raise TypeError("Streamlit sends binary protobuf frames")
    return data
