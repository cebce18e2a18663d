"""A minimal Streamlit client that speaks the browser's websocket protocol, for load tests of the server alone.

A workshop's participants run their browsers on their own phones and laptops; only the server runs on the
facilitator's laptop. This client does what the browser's JavaScript does on the wire and nothing more: it opens
``/_stcore/stream``, asks for a run (``BackMsg.rerun_script`` with the page address and the widget values), and reads
the ``ForwardMsg`` stream until the server reports the run finished. It keeps the page address the app writes (as
the browser does) and the value of every slider it has moved, so each rerun carries the same state a browser would.
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
class RunReport:
    """What one script run sent back: how long it took and what it drew."""

    seconds: float
    charts: dict[str, str]  # element id (it holds the widget key) -> the figure's JSON
    errors: list[str]
    status: int

    def chart(self, key: str) -> str:
        """The JSON of the chart whose key is ``key``."""
        return next(spec for element_id, spec in self.charts.items() if element_id.endswith(f"-{key}"))


@dataclass
class ProtocolSession:
    """One participant's session over a websocket (``async with ProtocolSession(url) as s``)."""

    url: str
    query_string: str = ""
    sliders: dict[str, Slider] = field(default_factory=dict)
    moved: dict[str, WidgetState] = field(default_factory=dict)
    _ws: ClientConnection | None = None

    async def __aenter__(self) -> ProtocolSession:
        ws_url = self.url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self._ws = await connect(ws_url, subprotocols=["streamlit"], origin=self.url.rstrip("/"), max_size=2**26,
                                 open_timeout=60, ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def run(self, timeout: float = 120.0) -> RunReport:
        """Ask for a rerun with the current address and widget values; read until the run finishes."""
        assert self._ws is not None
        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_script_hash = ""
        back.rerun_script.widget_states.widgets.extend(self.moved.values())
        start = time.perf_counter()
        await self._ws.send(back.SerializeToString())
        charts: dict[str, str] = {}
        errors: list[str] = []
        while True:
            data = await _receive(self._ws, start + timeout)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                what = element.WhichOneof("type")
                if what == "plotly_chart":
                    charts[element.plotly_chart.id] = element.plotly_chart.spec
                elif what == "slider":
                    self._remember(element.slider)
                elif what == "alert" and element.alert.format == element.alert.ERROR:
                    errors.append(element.alert.body)
                elif what == "exception":
                    errors.append(element.exception.message)
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "script_finished":
                return RunReport(time.perf_counter() - start, charts, errors, msg.script_finished)

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
