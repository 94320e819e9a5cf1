import { mount } from 'svelte';
import App from './App.svelte';
import { AppState } from './state/app.ts';
import { appContext } from './state/context.ts';
import './app.css';

const app = new AppState();
mount(App, { target: document.getElementById('app') as HTMLElement, context: appContext(app) });
void app.start();
